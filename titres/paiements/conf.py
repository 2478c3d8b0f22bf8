"""Payment configuration, read from the environment (settings.py is shared
and stays untouched). A Django setting of the same name, when present (e.g.
overridden by a test), wins over the environment.

PAYMENT_PROVIDER          local (default): the bank simulated under /timbres/banque/
PAYMENT_MERCHANT_ID       merchant id given by the provider (default: the seed's)
PAYMENT_SECRET_KEY        HMAC-SHA256 key shared with the provider
PAYMENT_LOCAL_NOTIFY      how the local bank notifies the portal:
                          auto (HTTP to SITE_URL, direct call if unreachable),
                          http (HTTP only), direct (in-process call of the handler)
PAYMENT_PENDING_MINUTES   a payment left at the bank longer than this is abandoned
PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG
                          1 to let the local demonstration bank run with DEBUG off
                          (isolated acceptance servers, benchmarks). Without it the
                          portal refuses to start with PAYMENT_PROVIDER=local and
                          DEBUG off, and the bank's pages (/timbres/banque/...) are
                          only mounted when DEBUG is on.
"""

import hashlib
import hmac

import environ
from django.conf import settings

env = environ.Env()

DEFAULT_MERCHANT_ID = "032060919912121"
STAMP_VALIDITY_MONTHS = 12


def _get(name: str, default, cast=str):
    if hasattr(settings, name):
        return getattr(settings, name)
    if cast is int:
        return env.int(name, default=default)
    if cast is bool:
        return env.bool(name, default=default)
    return env.str(name, default=default)


def provider_code() -> str:
    return _get("PAYMENT_PROVIDER", "local")


def merchant_id() -> str:
    return _get("PAYMENT_MERCHANT_ID", DEFAULT_MERCHANT_ID)


def secret_key() -> bytes:
    key = _get("PAYMENT_SECRET_KEY", "")
    if key:
        return key.encode()
    # Without a configured key (development), derive one from SECRET_KEY so
    # it is stable across restarts and never a constant known to the world.
    return (
        hmac.new(settings.SECRET_KEY.encode(), b"titres.paiements.local-provider", hashlib.sha256)
        .hexdigest()
        .encode()
    )


def local_notify_mode() -> str:
    return _get("PAYMENT_LOCAL_NOTIFY", "auto")


def pending_minutes() -> int:
    return int(_get("PAYMENT_PENDING_MINUTES", 30, cast=int))


def allow_local_without_debug() -> bool:
    return bool(_get("PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG", False, cast=bool))


# settings.DEBUG as it was when the application started (set by
# PaiementsConfig.ready()). Test runners force DEBUG off afterwards; whether
# the demonstration bank exists is a start-up decision, like the check.
STARTED_WITH_DEBUG: bool | None = None


def local_bank_mounted() -> bool:
    """Whether the local bank's pages are routed (DEBUG or the allow flag)."""
    debug = settings.DEBUG if STARTED_WITH_DEBUG is None else STARTED_WITH_DEBUG
    return bool(debug) or allow_local_without_debug()


def local_provider_refusal(debug: bool | None = None) -> str:
    """Why the portal must not start with the local bank, or "" when it may."""
    debug = settings.DEBUG if debug is None else debug
    if provider_code() == "local" and not debug and not allow_local_without_debug():
        return (
            "La banque locale de démonstration (PAYMENT_PROVIDER=local) est le prestataire de "
            "paiement alors que DEBUG est désactivé : elle accepte des cartes fictives et "
            "délivrerait de vrais timbres. Configurez un vrai prestataire (PAYMENT_PROVIDER), "
            "ou mettez PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG=1 pour un environnement de recette "
            "isolé."
        )
    return ""
