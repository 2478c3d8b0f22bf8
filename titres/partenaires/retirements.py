"""Retirement of an endpoint or a whole version, announced six months
ahead (seed 004 §6.1): an operator schedules it; from then on its answers
carry `Deprecation` (RFC 9745) and `Sunset` (RFC 8594) headers, every
partner whose tokens called it in the last 90 days is told by e-mail with
the date, and again one month before (`manage.py remind_retirements`)."""

import datetime as dt
import time
from email.utils import format_datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from titres.core.journal import record_event
from titres.core.notifications import notify_email

from .audit import PartenairesEvent
from .models import CallLog, Partner, Retirement, months_later

NOTICE_MONTHS = 6
RECENT_USE = dt.timedelta(days=90)
REMINDER_BEFORE = dt.timedelta(days=30)
# The table is tiny and changes a few times a year: read it at most once a
# minute per process rather than on every call.
CACHE_SECONDS = 60
_cache: tuple[float, list] = (0.0, [])


def forget_cache() -> None:
    global _cache
    _cache = (0.0, [])


def _active() -> list[tuple[str, dt.datetime, dt.date]]:
    global _cache
    expires, rows = _cache
    if time.monotonic() >= expires:
        rows = list(Retirement.objects.values_list("target", "announced_at", "sunset_on"))
        _cache = (time.monotonic() + CACHE_SECONDS, rows)
    return rows


def headers_for(path: str) -> dict[str, str]:
    """Deprecation/Sunset headers of the answer to `path` (the longest
    matching target wins: an endpoint's own date before its version's)."""
    matching = [row for row in _active() if path.startswith(row[0])]
    if not matching:
        return {}
    target, announced_at, sunset_on = max(matching, key=lambda row: len(row[0]))
    sunset = timezone.make_aware(dt.datetime.combine(sunset_on, dt.time.min))
    return {
        "Deprecation": f"@{int(announced_at.timestamp())}",
        "Sunset": format_datetime(sunset.astimezone(dt.UTC), usegmt=True),
    }


def retired_on(path: str, today: dt.date) -> dt.date | None:
    """The date `path` was retired, once that date has come."""
    for target, _announced_at, sunset_on in _active():
        if path.startswith(target) and sunset_on <= today:
            return sunset_on
    return None


def partners_using(target: str, *, since: dt.datetime) -> list[Partner]:
    ids = (
        CallLog.objects.filter(path__startswith=target, at__gte=since, token__isnull=False)
        .values_list("token__partner_id", flat=True)
        .distinct()
    )
    return list(Partner.objects.filter(pk__in=ids).order_by("name"))


def _tell(retirement: Retirement, partners, *, reminder: bool) -> int:
    for partner in partners:
        notify_email(
            template="partenaires/email/retrait",
            to=sorted({partner.technical_email, partner.business_email}),
            context={
                "partner": partner.name,
                "target": retirement.target,
                "sunset_on": retirement.sunset_on.strftime("%d/%m/%Y"),
                "reminder": reminder,
                "note": retirement.note,
            },
        )
    return len(partners)


def check_schedule(*, target: str, sunset_on: dt.date, now=None) -> None:
    """Raises ValidationError naming the field (the admin form shows it)."""
    earliest = months_later(now or timezone.now(), NOTICE_MONTHS).date()
    problems = {}
    if not target.startswith("/api/"):
        problems["target"] = (
            "Indiquez un chemin de l’API, par exemple /api/v1/ ou /api/v1/vehicule."
        )
    if sunset_on < earliest:
        problems["sunset_on"] = (
            "Un retrait s’annonce six mois à l’avance : choisissez une date à partir du "
            f"{earliest:%d/%m/%Y}."
        )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def schedule_retirement(
    *, target: str, sunset_on: dt.date, note: str = "", actor, request=None
) -> Retirement:
    now = timezone.now()
    check_schedule(target=target, sunset_on=sunset_on, now=now)
    retirement = Retirement.objects.create(
        target=target, sunset_on=sunset_on, note=note, announced_at=now, scheduled_by=actor
    )
    told = _tell(retirement, partners_using(target, since=now - RECENT_USE), reminder=False)
    record_event(
        PartenairesEvent.RETIREMENT_SCHEDULED,
        actor=actor,
        request=request,
        target=retirement,
        data={"chemin": target, "date": sunset_on.isoformat(), "partenaires": told},
    )
    transaction.on_commit(forget_cache)
    return retirement


def send_reminders(*, now=None) -> int:
    """One month before each retirement, once (a rerun sends nothing)."""
    now = now or timezone.now()
    sent = 0
    due = Retirement.objects.filter(
        reminder_sent_at__isnull=True, sunset_on__lte=(now + REMINDER_BEFORE).date()
    )
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            retirement = Retirement.objects.select_for_update().get(pk=pk)
            if retirement.reminder_sent_at is not None:
                continue
            # Those told at the announcement, and whoever started using it since.
            since = retirement.announced_at - RECENT_USE
            told = _tell(retirement, partners_using(retirement.target, since=since), reminder=True)
            retirement.reminder_sent_at = now
            retirement.save(update_fields=["reminder_sent_at"])
            record_event(
                PartenairesEvent.RETIREMENT_REMINDED,
                actor=None,
                target=retirement,
                data={"chemin": retirement.target, "partenaires": told},
            )
            sent += told
    return sent
