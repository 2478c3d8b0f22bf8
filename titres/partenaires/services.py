"""Writes that matter on partners and tokens: the operators' (creation,
edition, suspension, termination, tokens) and the partner's own (contacts,
renewal and revocation of its tokens from its dashboard)."""

import datetime as dt
import ipaddress

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core.journal import record_event
from titres.core.notifications import notify_email

from . import tokens
from .audit import PartenairesEvent
from .enums import PartnerState, Scope
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


# After a renewal the old token keeps working this long (or until it is
# revoked), the time to deploy the new secret on the partner's servers.
RENEWAL_OVERLAP = dt.timedelta(days=7)
CONTACT_FIELDS = ("technical_email", "technical_phone", "business_email", "business_phone")
PARTNER_FIELDS = ("name", "siret", *CONTACT_FIELDS)
MAX_REASON_LENGTH = 500


@transaction.atomic
def create_partner(*, actor, request=None, members=None, **fields) -> Partner:
    partner = Partner(**fields)
    partner.full_clean()
    partner.save()
    if members:
        partner.members.set(list(members))
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
        data={
            "key_id": key_id,
            "scopes": token.scopes,
            **({"remplace": renewed_from.key_id} if renewed_from else {}),
        },
    )
    return token, secret


def _locked(partner: Partner) -> Partner:
    return Partner.objects.select_for_update().get(pk=partner.pk)


def _save_fields(partner: Partner, fields: dict, allowed) -> list[str]:
    """Sets `fields` (names in `allowed`), validates, saves; the names of
    the fields that changed (journaled, never their values)."""
    changed = []
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        if getattr(partner, name) != value:
            setattr(partner, name, value)
            changed.append(name)
    partner.full_clean()
    if changed:
        partner.save(update_fields=changed)
    return changed


@transaction.atomic
def update_partner(*, partner: Partner, actor, request=None, members=None, **fields) -> Partner:
    """The operator's edition of a partner (organisation, SIRET, contacts,
    portal accounts). The state changes only through suspend/reactivate/
    terminate, which tell the partner."""
    partner = _locked(partner)
    changed = _save_fields(partner, fields, PARTNER_FIELDS)
    if members is not None:
        before = set(partner.members.values_list("pk", flat=True))
        after = {m.pk for m in members}
        if before != after:
            partner.members.set(list(members))
            changed.append("members")
    if changed:
        record_event(
            PartenairesEvent.PARTNER_UPDATED,
            actor=actor,
            request=request,
            target=partner,
            data={"champs": changed},
        )
    return partner


@transaction.atomic
def update_contacts(*, partner: Partner, actor, request=None, **contacts) -> Partner:
    """The partner's own edition of its technical and business contacts
    (seed 004 §4), from its dashboard."""
    partner = _locked(partner)
    if partner.state == PartnerState.TERMINATED:
        raise ValidationError(_("L’accès de votre organisation est résilié."))
    changed = _save_fields(partner, contacts, CONTACT_FIELDS)
    if changed:
        record_event(
            PartenairesEvent.CONTACTS_UPDATED,
            actor=actor,
            request=request,
            target=partner,
            data={"champs": changed},
        )
    return partner


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif : il est envoyé au partenaire."))
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            _("Le motif dépasse %(max)s caractères.") % {"max": MAX_REASON_LENGTH}
        )
    return reason


def _tell(partner: Partner, template: str, reason: str = "") -> None:
    if partner.contact_emails:
        notify_email(
            template=f"partenaires/email/{template}",
            to=partner.contact_emails,
            context={"partner": partner.name, "siret": partner.siret, "reason": reason},
        )


@transaction.atomic
def suspend_partner(*, partner: Partner, reason: str, actor, request=None) -> Partner:
    """Seed 004 §5: every token of the partner answers 401 `00105` until the
    operator reactivates it; nothing is revoked. The partner is told why."""
    partner = _locked(partner)
    reason = _reason(reason)
    if partner.state != PartnerState.ACTIVE:
        raise ValidationError(_("Seul un partenaire actif peut être suspendu."))
    partner.state = PartnerState.SUSPENDED
    partner.state_reason = reason
    partner.state_since = timezone.now()
    partner.save(update_fields=["state", "state_reason", "state_since"])
    record_event(
        PartenairesEvent.PARTNER_SUSPENDED,
        actor=actor,
        request=request,
        target=partner,
        data={"motif": reason},
    )
    _tell(partner, "suspension", reason)
    return partner


@transaction.atomic
def reactivate_partner(*, partner: Partner, actor, request=None) -> Partner:
    """The end of a suspension: the tokens work again as they were."""
    partner = _locked(partner)
    if partner.state != PartnerState.SUSPENDED:
        raise ValidationError(_("Seul un partenaire suspendu peut être réactivé."))
    partner.state = PartnerState.ACTIVE
    partner.state_reason = ""
    partner.state_since = timezone.now()
    partner.save(update_fields=["state", "state_reason", "state_since"])
    record_event(PartenairesEvent.PARTNER_REACTIVATED, actor=actor, request=request, target=partner)
    _tell(partner, "reactivation")
    return partner


@transaction.atomic
def terminate_partner(*, partner: Partner, reason: str, actor, request=None) -> Partner:
    """Seed 004 §5: final. Every token is revoked; the partner is told why,
    then its contacts and portal accounts are erased (seed 004 §4: account
    data is kept while the account is active). The organisation, its tokens
    and their call logs stay for traceability (CallLog retention rule)."""
    partner = _locked(partner)
    reason = _reason(reason)
    if partner.state == PartnerState.TERMINATED:
        raise ValidationError(_("Ce partenaire est déjà résilié."))
    now = timezone.now()
    active = partner.tokens.filter(revoked_at__isnull=True)
    revoked = sorted(active.values_list("key_id", flat=True))
    active.update(revoked_at=now)
    # Told before the addresses are erased (the e-mail leaves after commit).
    _tell(partner, "resiliation", reason)
    partner.state = PartnerState.TERMINATED
    partner.state_reason = reason
    partner.state_since = now
    for name in CONTACT_FIELDS:
        setattr(partner, name, "")
    partner.save(update_fields=["state", "state_reason", "state_since", *CONTACT_FIELDS])
    partner.members.clear()
    record_event(
        PartenairesEvent.PARTNER_TERMINATED,
        actor=actor,
        request=request,
        target=partner,
        data={"motif": reason, "jetons_revoques": revoked},
    )
    return partner


@transaction.atomic
def renew_token(*, token: ApiToken, actor, request=None) -> tuple[ApiToken, str]:
    """A new token with the same démarche, legal basis, scopes and allow-list
    (nothing to type again). The old one keeps working RENEWAL_OVERLAP more
    (never beyond its own expiry), the time to deploy the new secret, or
    until it is revoked."""
    token = ApiToken.objects.select_for_update().select_related("partner").get(pk=token.pk)
    if token.partner.state != PartnerState.ACTIVE:
        raise ValidationError(
            _("L’accès de votre organisation est %(state)s : aucun jeton ne peut être renouvelé.")
            % {"state": token.partner.get_state_display().lower()}
        )
    if token.revoked_at is not None:
        raise ValidationError(_("Ce jeton est révoqué : il ne peut pas être renouvelé."))
    if ApiToken.objects.filter(renewed_from=token).exists():
        raise ValidationError(_("Ce jeton a déjà été renouvelé."))
    overlap_end = timezone.now() + RENEWAL_OVERLAP
    if token.expires_at > overlap_end:
        token.expires_at = overlap_end
        token.save(update_fields=["expires_at"])
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
