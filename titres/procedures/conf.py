"""Settings of the procedure engine, read from Django settings first, then
from the environment (settings.py is shared; this keeps the knobs here).

- CLAMAV_URL: "tcp://host:3310" or "unix:///run/clamav/clamd.ctl". Unset: no
  antivirus; documents become valid after the format checks and a warning is
  logged for each (fine on a laptop, never in production).
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


def clamav_timeout() -> float:
    return float(_get("CLAMAV_TIMEOUT", "30"))


def max_upload_bytes() -> int:
    return int(_get("PROCEDURES_MAX_UPLOAD_BYTES", str(11 * 1024 * 1024)))


def draft_ttl_days() -> int:
    return int(_get("PROCEDURES_DRAFT_TTL_DAYS", "90"))
