"""Bearer authentication of partner calls: the token must exist, match its
hash, be neither revoked nor expired, belong to an active partner, be used
from an allowed address, and be within its quota. The token is the copy
this process kept (tokencache.py) or read from the database, then the
IP's and the token's quotas and the in-flight marker are settled in one
round trip (admission.py), which also tells whether the copy is still
current; the refusals keep their order: IP over its ceiling, then the
token's, then its quota, then the same request in progress. Every refusal
of a token is decided on its row read from the database."""

import ipaddress

from django.utils import timezone
from ninja.security import HttpBearer

from titres.core.journal import client_ip

from . import admission, errors, inflight, quota, tokencache, tokens
from .enums import PartnerState
from .models import ApiToken


class PartnerBearer(HttpBearer):
    """django-ninja auth, documented as HTTP bearer in the OpenAPI document;
    every refusal is an ApiError with its code."""

    def authenticate(self, request, token):  # pragma: no cover - __call__ does it all
        return self(request)

    def __call__(self, request):
        ip = client_ip(request)
        request.partner_ip = ip
        secret, key_id = _secret(request)
        verdict = None
        kept = tokencache.get(key_id) if key_id else None
        if (
            kept is not None
            and tokens.matches(secret, kept.token.key_hash)
            and _refusal(kept.token, ip) is None
        ):
            # No SQL: the copy is admitted only if no token or partner has
            # changed since it was read (same round trip as the quotas).
            token, refusal = kept.token, None
            verdict = admission.admit(request, ip, token, stamp=kept.stamp)
            if verdict.stale:
                tokencache.drop(key_id)
        if verdict is None or verdict.stale:
            # The stamp before the row: a change committed after this read
            # comes with a new stamp, so the copy is never kept past it.
            stamp = tokencache.stamp() if key_id else None
            token, refusal = _check(secret, key_id, ip)
            if refusal is None and stamp is not None:
                tokencache.keep(token, stamp)
            # Quotas and in-flight marker in one Redis round trip, once the
            # token is known: a refused token (refusal) counts for its IP only.
            verdict = admission.admit(
                request, ip, token if refusal is None else None, count_ip=verdict is None
            )
        if not verdict.ip_allowed:
            raise errors.ApiError(
                errors.OVER_QUOTA,
                "Trop de requêtes depuis cette adresse IP : réessayez dans une seconde.",
                headers={"Retry-After": "1"},
            )
        request.partner_token = token
        if refusal is not None:
            raise refusal
        request.partner_quota_headers = verdict.headers
        if not verdict.token_allowed:
            raise errors.ApiError(
                errors.OVER_QUOTA,
                f"Plus de {quota.TOKEN_LIMIT_AMOUNT} appels par seconde avec ce jeton.",
                headers={"Retry-After": verdict.headers["RateLimit-Reset"]},
            )
        if verdict.in_flight:
            raise inflight.busy()
        return token


def _secret(request) -> tuple[str | None, str | None]:
    """(the secret of the Authorization header, its key id when well formed)."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None, None
    secret = secret.strip()
    return secret, tokens.split(secret)


def _check(secret, key_id, ip) -> tuple[ApiToken | None, errors.ApiError | None]:
    """The token of the Authorization header, read from the database (None
    when unknown), and why it is refused (None when it may call)."""
    if secret is None:
        return None, errors.ApiError(
            errors.UNKNOWN_TOKEN,
            "L’en-tête « Authorization: Bearer <jeton> » est absent.",
        )
    token = (
        ApiToken.objects.select_related("partner").filter(key_id=key_id).first() if key_id else None
    )
    if token is None or not tokens.matches(secret, token.key_hash):
        return None, errors.ApiError(errors.UNKNOWN_TOKEN, "Ce jeton n’existe pas.")
    return token, _refusal(token, ip)


def _refusal(token: ApiToken, ip) -> errors.ApiError | None:
    """Why `token` (its secret checked) may not call now, None when it may,
    in the order the partner is told: revoked, partner not active, expired,
    IP not allowed."""
    if token.revoked_at is not None:
        return errors.ApiError(
            errors.REVOKED_TOKEN,
            f"Ce jeton a été révoqué le {timezone.localtime(token.revoked_at):%d/%m/%Y}.",
        )
    partner = token.partner
    if partner.state != PartnerState.ACTIVE:
        # Seed 004 §5: a suspended partner's tokens are blacklisted until
        # the operator reactivates it (a terminated one's are revoked).
        since = timezone.localtime(partner.state_since or partner.created_at)
        return errors.ApiError(
            errors.REVOKED_TOKEN,
            f"L’accès de votre organisation est {partner.get_state_display().lower()} "
            f"depuis le {since:%d/%m/%Y} : {partner.state_reason}",
        )
    if token.expires_at <= timezone.now():
        return errors.ApiError(
            errors.EXPIRED_TOKEN,
            f"Ce jeton a expiré le {timezone.localtime(token.expires_at):%d/%m/%Y} : "
            + (
                "il a été renouvelé, utilisez le nouveau jeton."
                if hasattr(token, "renewed_by")
                else "demandez son renouvellement depuis votre tableau de bord."
            ),
        )
    if token.ip_allowlist and not _allowed(ip, token.ip_allowlist):
        return errors.ApiError(
            errors.FORBIDDEN,
            f"L’adresse IP {ip} n’est pas autorisée pour ce jeton.",
        )
    return None


def _allowed(ip: str | None, networks: list[str]) -> bool:
    if not ip:
        return False
    address = ipaddress.ip_address(ip)
    return any(address in ipaddress.ip_network(n, strict=False) for n in networks)
