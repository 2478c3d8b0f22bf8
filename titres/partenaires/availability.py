"""Measured availability of the service (seed 004 §3: 99.5 % of the month,
assessed at the end of each month), from the portal's own health probes.

`probe()` (manage.py probe_availability, every minute from the scheduler)
asks the portal's readiness endpoint over HTTP, as a monitoring service
would — database, cache and storage through the app servers — and stores
the outcome. A month's availability is the share of successful probes;
`couverture` says how many of the expected probes were made, so that a
month with gaps in the measurement does not pass for a perfect one."""

import calendar
import datetime as dt
import time

import requests
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from .models import AvailabilityProbe

COMMITMENT_PERCENT = 99.5
PROBE_PERIOD = dt.timedelta(minutes=1)
PROBE_TIMEOUT_SECONDS = 5
# Two full months are shown; a bit more is kept for the operators.
PROBE_RETENTION = dt.timedelta(days=400)
REPORT_CACHE_SECONDS = 60


def probe_url() -> str:
    return getattr(settings, "PARTENAIRES_PROBE_URL", "") or f"{settings.SITE_URL}/readyz"


def probe(*, now=None) -> AvailabilityProbe:
    started = time.monotonic()
    detail = ""
    try:
        response = requests.get(probe_url(), timeout=PROBE_TIMEOUT_SECONDS)
        ok = response.status_code == 200
        if not ok:
            detail = f"HTTP {response.status_code}"
    except requests.RequestException as exc:
        ok, detail = False, exc.__class__.__name__
    latency = int((time.monotonic() - started) * 1000)
    now = now or timezone.now()
    result = AvailabilityProbe.objects.create(at=now, ok=ok, latency_ms=latency, detail=detail)
    AvailabilityProbe.objects.filter(at__lt=now - PROBE_RETENTION).delete()
    cache.delete(_CACHE_KEY)
    return result


def _month_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, 1))


def month_report(first: dt.datetime, now: dt.datetime) -> dict:
    days = calendar.monthrange(first.year, first.month)[1]
    end = min(first + dt.timedelta(days=days), now)
    counts = AvailabilityProbe.objects.filter(at__gte=first, at__lt=end).aggregate(
        total=Count("pk"), failed=Count("pk", filter=Q(ok=False))
    )
    total, failed = counts["total"], counts["failed"]
    expected = max(1, int((end - first) / PROBE_PERIOD))
    availability = round(100 * (total - failed) / total, 3) if total else None
    return {
        "mois": f"{first:%Y-%m}",
        "debut": first,
        "fin": end,
        "disponibilite": availability,
        "sondes": total,
        "echecs": failed,
        "couverture": round(min(100.0, 100 * total / expected), 1),
        "engagement_tenu": None if availability is None else availability >= COMMITMENT_PERCENT,
        "termine": end >= first + dt.timedelta(days=days),
    }


_CACHE_KEY = "partenaires:availability-report"


def report(*, now=None) -> dict:
    """The current and the previous month (cached a minute: the public page
    and /api/v1/status must not count a month of rows at every call)."""
    cached = None if now else cache.get(_CACHE_KEY)
    if cached is not None:
        return cached
    now = now or timezone.now()
    current = _month_start(timezone.localdate(now))
    previous = _month_start((current - dt.timedelta(days=1)).date())
    result = {
        "engagement": COMMITMENT_PERCENT,
        "periode_sondes_secondes": int(PROBE_PERIOD.total_seconds()),
        "mois_en_cours": month_report(current, now),
        "mois_precedent": month_report(previous, now),
    }
    cache.set(_CACHE_KEY, result, REPORT_CACHE_SECONDS)
    return result
