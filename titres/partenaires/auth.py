"""Bearer authentication of partner calls: the token must exist, match its
hash, be neither revoked nor expired, belong to an active partner, be used
from an allowed address, and be within its quota. The token is the copy
this process kept (tokencache.py) or read from the database, then the
IP's and the token's quotas and the in-flight marker are settled in one
round trip (admission.py), which also tells whether the copy is still
current; the refusals keep their order: IP over its ceiling, then the
token's, then its quota, then the same request in progress. Every refusal
of a token is decided on its row read from the database."""

import functools
import ipaddress

from django.db import connection
from django.utils import timezone
from ninja.security import HttpBearer

from titres.core.journal import client_ip

from . import admission, errors, inflight, quota, tokencache, tokens
from .enums import PartnerState
from .models import ApiToken, Partner


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
    token = read_token(key_id) if key_id else None
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


@functools.cache
def _token_query(vendor: str) -> tuple[str, list, list]:
    """The token and its partner in one SELECT written once from the models
    (what select_related("partner") sends), with each column's converters
    as the ORM applies them (dates made aware, JSON decoded): the ORM took
    longer to build the query than the database to run it (issue 20; read
    on every call where no kept copy can be checked, tokencache.py)."""
    quote = connection.ops.quote_name
    parts = []
    for model, alias in ((ApiToken, "t"), (Partner, "p")):
        fields = model._meta.concrete_fields
        columns = [f.get_col(alias) for f in fields]
        converters = [
            connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            for col in columns
        ]
        parts.append((model, [f.attname for f in fields], columns, converters))
    select = ", ".join(
        f"{alias}.{quote(f.column)}"
        for model, alias in ((ApiToken, "t"), (Partner, "p"))
        for f in model._meta.concrete_fields
    )
    partner_fk = ApiToken._meta.get_field("partner")
    sql = (
        f"SELECT {select} FROM {quote(ApiToken._meta.db_table)} t "  # noqa: S608 - models' names
        f"INNER JOIN {quote(Partner._meta.db_table)} p "
        f"ON p.{quote(Partner._meta.pk.column)} = t.{quote(partner_fk.column)} "
        f"WHERE t.{quote(ApiToken._meta.get_field('key_id').column)} = %s"
    )
    return sql, parts, partner_fk


def read_token(key_id: str) -> ApiToken | None:
    """ApiToken.objects.select_related("partner").filter(key_id=key_id)
    .first() (key_id is unique), without building the query each time."""
    sql, parts, partner_fk = _token_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_id])
        row = cursor.fetchone()
    if row is None:
        return None
    instances, start = [], 0
    for model, names, columns, converters in parts:
        values = list(row[start : start + len(names)])
        start += len(names)
        for index, (col, functions) in enumerate(zip(columns, converters, strict=True)):
            for function in functions:
                values[index] = function(values[index], col, connection)
        instances.append(model.from_db(connection.alias, names, values))
    token, partner = instances
    partner_fk.set_cached_value(token, partner)
    return token
