"""Settings of the app, read from Django settings first, then from the
environment (settings.py is shared; this keeps the knobs here). Documented
in docs/operations.md.

- IDENTITE_PREDEMANDE_VALIDITY_DAYS: a pré-demande not taken at a counter
  within this period becomes "expirée" (default 183, six months).
- IDENTITE_RELEASE_GRACE_HOURS: an appointment nobody marked honoured or
  no-show is released this many hours after its start (default 12).
- IDENTITE_BOOKING_MIN_LEAD_MINUTES: slots starting sooner are not offered
  (default 60).
- IDENTITE_SEARCH_MAX_DAYS / IDENTITE_SEARCH_MAX_RADIUS_KM: bounds of a
  search (default 90 days, 100 km).
- IDENTITE_MAX_PEOPLE_PER_BOOKING: default 6.
- IDENTITE_API_RATE_LIMIT: calls per vendor to the coordination API
  (default "600/minute").
"""

import os

from django.conf import settings


def _get(name: str, default):
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return value


def predemande_validity_days() -> int:
    return int(_get("IDENTITE_PREDEMANDE_VALIDITY_DAYS", 183))


def release_grace_hours() -> int:
    return int(_get("IDENTITE_RELEASE_GRACE_HOURS", 12))


def booking_min_lead_minutes() -> int:
    return int(_get("IDENTITE_BOOKING_MIN_LEAD_MINUTES", 60))


def search_max_days() -> int:
    return int(_get("IDENTITE_SEARCH_MAX_DAYS", 90))


def search_max_radius_km() -> int:
    return int(_get("IDENTITE_SEARCH_MAX_RADIUS_KM", 100))


def max_people_per_booking() -> int:
    return int(_get("IDENTITE_MAX_PEOPLE_PER_BOOKING", 6))


def api_rate_limit() -> str:
    return str(_get("IDENTITE_API_RATE_LIMIT", "600/minute"))
