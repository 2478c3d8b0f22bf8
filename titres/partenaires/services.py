"""Writes that matter on partners and tokens (operators' actions)."""

import ipaddress

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from titres.core.journal import record_event

from . import tokens
from .audit import PartenairesEvent
from .enums import Scope
from .models import TOKEN_VALIDITY_MONTHS, ApiToken, Partner, months_later


def _check_scopes(scopes) -> list[str]:
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown or not scopes:
        raise ValidationError(f"Périmètre invalide : {', '.join(unknown) or 'vide'}")
    return sorted(set(scopes))


def _check_networks(networks) -> list[str]:
    out = []
    for network in networks or []:
        try:
            out.append(str(ipaddress.ip_network(network, strict=False)))
        except ValueError:
            raise ValidationError(f"Adresse ou réseau IP invalide : {network}")
    return out


@transaction.atomic
def create_partner(*, actor, request=None, **fields) -> Partner:
    partner = Partner(**fields)
    partner.full_clean()
    partner.save()
    record_event(
        PartenairesEvent.PARTNER_CREATED,
        actor=actor,
        request=request,
        target=partner,
        data={"siret": partner.siret},
    )
    return partner


@transaction.atomic
def issue_token(
    *,
    partner: Partner,
    procedure: str,
    legal_basis: str,
    legal_reference: str,
    scopes: list[str],
    ip_allowlist: list[str] | None = None,
    actor,
    request=None,
    renewed_from: ApiToken | None = None,
    secret: tuple[str, str] | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown once and never stored.
    `secret` (token, key id) is for the demonstration token only
    (tokens.demo_secret); every real token gets a random one."""
    secret, key_id = secret or tokens.make_secret()
    now = timezone.now()
    token = ApiToken.objects.create(
        partner=partner,
        procedure=procedure,
        legal_basis=legal_basis,
        legal_reference=legal_reference,
        scopes=_check_scopes(scopes),
        ip_allowlist=_check_networks(ip_allowlist),
        key_id=key_id,
        key_hash=tokens.digest(secret),
        created_at=now,
        expires_at=months_later(now, TOKEN_VALIDITY_MONTHS),
        renewed_from=renewed_from,
    )
    record_event(
        PartenairesEvent.TOKEN_RENEWED if renewed_from else PartenairesEvent.TOKEN_ISSUED,
        actor=actor,
        request=request,
        target=token,
        data={"key_id": key_id, "scopes": token.scopes},
    )
    return token, secret


@transaction.atomic
def renew_token(*, token: ApiToken, actor, request=None) -> tuple[ApiToken, str]:
    """A new token with the same démarche, legal basis, scopes and allow-list
    (nothing to type again); the old one keeps working until it expires."""
    return issue_token(
        partner=token.partner,
        procedure=token.procedure,
        legal_basis=token.legal_basis,
        legal_reference=token.legal_reference,
        scopes=token.scopes,
        ip_allowlist=token.ip_allowlist,
        actor=actor,
        request=request,
        renewed_from=token,
    )


@transaction.atomic
def revoke_token(*, token: ApiToken, actor, request=None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            PartenairesEvent.TOKEN_REVOKED,
            actor=actor,
            request=request,
            target=token,
            data={"key_id": token.key_id},
        )
    return token
