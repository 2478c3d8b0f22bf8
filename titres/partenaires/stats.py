"""Usage statistics of a partner's tokens for its dashboard: calls per
minute over the last 10 minutes, per hour over 30 hours, per day over 8
days (seed 004 §3), counted by the database (TruncMinute/Hour/Day), so a
busy partner's millions of rows never come into Python."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncDay, TruncHour, TruncMinute
from django.utils import timezone

from .models import CallLog

CHART_WIDTH = 600
CHART_HEIGHT = 120


@dataclass
class Bar:
    start: dt.datetime
    label: str
    calls: int
    errors: int
    x: float = 0
    width: float = 0
    height: float = 0
    y: float = 0
    error_height: float = 0
    error_y: float = 0


@dataclass
class Series:
    title: str
    bars: list[Bar]
    total: int
    peak: int
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT


PERIODS = (
    ("Les 10 dernières minutes, par minute", TruncMinute, dt.timedelta(minutes=1), 10, "%H:%M"),
    ("Les 30 dernières heures, par heure", TruncHour, dt.timedelta(hours=1), 30, "%d/%m %Hh"),
    ("Les 8 derniers jours, par jour", TruncDay, dt.timedelta(days=1), 8, "%d/%m"),
)


def _floor(moment: dt.datetime, step: dt.timedelta) -> dt.datetime:
    local = timezone.localtime(moment)
    if step >= dt.timedelta(days=1):
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    if step >= dt.timedelta(hours=1):
        return local.replace(minute=0, second=0, microsecond=0)
    return local.replace(second=0, microsecond=0)


def usage(partner, *, now=None) -> list[Series]:
    now = now or timezone.now()
    calls = CallLog.objects.filter(token__partner=partner)
    result = []
    for title, trunc, step, count, fmt in PERIODS:
        last = _floor(now, step)
        first = last - step * (count - 1)
        rows = (
            calls.filter(at__gte=first)
            .annotate(bucket=trunc("at", tzinfo=timezone.get_current_timezone()))
            .values("bucket")
            .annotate(n=Count("id"), errors=Count("id", filter=Q(status_code__gte=400)))
        )
        found = {timezone.localtime(r["bucket"]): (r["n"], r["errors"]) for r in rows}
        bars = []
        for i in range(count):
            start = first + step * i
            n, errors = found.get(start, (0, 0))
            bars.append(Bar(start=start, label=start.strftime(fmt), calls=n, errors=errors))
        peak = max((b.calls for b in bars), default=0)
        slot = CHART_WIDTH / count
        for i, bar in enumerate(bars):
            bar.x = round(i * slot + slot * 0.1, 1)
            bar.width = round(slot * 0.8, 1)
            bar.height = round(CHART_HEIGHT * bar.calls / peak, 1) if peak else 0
            bar.error_height = round(CHART_HEIGHT * bar.errors / peak, 1) if peak else 0
            bar.y = round(CHART_HEIGHT - bar.height, 1)
            bar.error_y = round(CHART_HEIGHT - bar.error_height, 1)
        result.append(Series(title=title, bars=bars, total=sum(b.calls for b in bars), peak=peak))
    return result
