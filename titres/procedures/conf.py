"""Settings of the procedure engine, read from Django settings first, then
from the environment (settings.py is shared; this keeps the knobs here).

- CLAMAV_URL: "tcp://host:3310" or "unix:///run/clamav/clamd.ctl". Unset: no
  antivirus. Allowed only with DEBUG (laptops, CI) or with the explicit
  PROCEDURES_ALLOW_NO_ANTIVIRUS=1 (an isolated test bench): documents then
  become valid after the format checks and a warning is logged for each.
  Otherwise the system check procedures.E001 refuses to start
  (runserver/migrate/check) and documents stay "en analyse" (fail closed).
- PROCEDURES_ALLOW_NO_ANTIVIRUS: see above (default off).
- CLAMAV_TIMEOUT: seconds (default 30).
- PROCEDURES_MAX_UPLOAD_BYTES: default 11 MiB (seed 002: "11Mo maximum").
- PROCEDURES_DRAFT_TTL_DAYS: drafts untouched for this many days are
  abandoned by `manage.py expire_drafts` (default 90).
"""

import os

from django.conf import settings


def _get(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return value


def clamav_url() -> str:
    return str(_get("CLAMAV_URL", "")).strip()


# settings.DEBUG as it was when the application started (set by
# ProceduresConfig.ready()): test runners force DEBUG off afterwards, and
# whether files may go unscanned is a start-up decision, like the check.
STARTED_WITH_DEBUG: bool | None = None


def allow_no_antivirus() -> bool:
    value = _get("PROCEDURES_ALLOW_NO_ANTIVIRUS", "")
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on", "oui"}


def no_antivirus_refusal(debug: bool | None = None) -> str:
    """Why running without an antivirus is refused, or "" when it is allowed."""
    if clamav_url():
        return ""
    if debug is None:
        debug = settings.DEBUG if STARTED_WITH_DEBUG is None else STARTED_WITH_DEBUG
    if debug or allow_no_antivirus():
        return ""
    return (
        "Aucun antivirus n’est configuré (CLAMAV_URL) alors que DEBUG est désactivé : les "
        "pièces justificatives seraient acceptées sans analyse. Définissez CLAMAV_URL "
        "(tcp://hote:3310 ou unix:///run/clamav/clamd.ctl), ou mettez "
        "PROCEDURES_ALLOW_NO_ANTIVIRUS=1 pour un environnement de test isolé."
    )


def clamav_timeout() -> float:
    return float(_get("CLAMAV_TIMEOUT", "30"))


def max_upload_bytes() -> int:
    return int(_get("PROCEDURES_MAX_UPLOAD_BYTES", str(11 * 1024 * 1024)))


def draft_ttl_days() -> int:
    return int(_get("PROCEDURES_DRAFT_TTL_DAYS", "90"))
