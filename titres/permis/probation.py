"""Yearly points of the probationary licence (permis probatoire).

A first licence starts with 6 points; at each anniversary of its issue
without an offence it gains 2 points (3 after accompanied driving, AAC)
until 12: three years, or two with AAC (code de la route, art. L. 223-1).
The daily job `credit_probation_points` credits each due anniversary once:
the SNPC history (`PointsCredit`, reason "probatoire", reference
"probatoire:<n>") is the record of what was done, so a second run, or a run
days late, credits nothing twice. A withdrawal of points (a negative
movement in the history) during the year before an anniversary means that
year was not "without offence": the anniversary is recorded with 0 points
and the reason, so it is not looked at again.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from titres.core.journal import record_event

from .audit import PermisEvent
from .enums import LicenceState, PointsReason
from .models import LicenceRecord, add_years
from .stages.models import PointsCredit

REASON = PointsReason.PROBATOIRE.value
YEARLY_POINTS = 2
YEARLY_POINTS_AAC = 3


def yearly_points(record: LicenceRecord) -> int:
    return YEARLY_POINTS_AAC if record.probation_aac else YEARLY_POINTS


def anniversaries(record: LicenceRecord, until: date) -> list[tuple[int, date]]:
    """(n, day) of each probation anniversary on or before `until`.

    A licence issued on 29 February reaches its anniversary on 28 February
    of a common year (`add_years`), as its ceiling does."""
    if record.probation_start is None:
        return []
    due = []
    for n in range(1, record.probation_years + 1):
        day = add_years(record.probation_start, n)
        if day <= until:
            due.append((n, day))
    return due


def reference(n: int) -> str:
    return f"{REASON}:{n}"


def settle_elapsed(record: LicenceRecord, on: date) -> None:
    """Mark the anniversaries already past on `on` as settled (0 points):
    a licence that joins the SNPC mid-probation (exchange of a foreign
    licence) gets its current ceiling as balance, which already includes
    them."""
    for n, day in anniversaries(record, on):
        PointsCredit.objects.get_or_create(
            record=record,
            reason=REASON,
            reference=reference(n),
            defaults={"delta": 0, "balance_after": record.points_balance, "on": day},
        )


def _offence_during(record: LicenceRecord, day: date) -> PointsCredit | None:
    """A withdrawal of points in the year that ends on `day`."""
    return (
        PointsCredit.objects.filter(
            record=record, delta__lt=0, on__gt=add_years(day, -1), on__lte=day
        )
        .order_by("on")
        .first()
    )


def eligible_records(today: date):
    """Valid licences still in probation, or past its end by less than a
    year (a late run still credits the last anniversary), with an
    anniversary not yet in the history."""
    return (
        LicenceRecord.objects.filter(
            state=LicenceState.VALIDE,
            probation_start__isnull=False,
            # 365 days, not add_years: a 29 February start has its first
            # anniversary on 28 February (credit_record checks exactly).
            probation_start__lte=today - timedelta(days=365),
            probation_start__gt=add_years(today, -4),
        )
        .annotate(
            settled=Count("points_history", filter=Q(points_history__reason=REASON)),
        )
        .filter(Q(probation_aac=True, settled__lt=2) | Q(probation_aac=False, settled__lt=3))
        .order_by("pk")
    )


def credit_record(record_id: int, today: date) -> list[PointsCredit]:
    """Credit the due anniversaries of one licence (locked), oldest first."""
    done = []
    with transaction.atomic():
        record = LicenceRecord.objects.select_for_update().get(pk=record_id)
        if record.state != LicenceState.VALIDE:
            return done
        settled = set(
            record.points_history.filter(reason=REASON).values_list("reference", flat=True)
        )
        for n, day in anniversaries(record, today):
            if reference(n) in settled:
                continue
            before = record.points_balance
            offence = _offence_during(record, day)
            if offence is None:
                after = max(before, min(before + yearly_points(record), record.points_ceiling(day)))
            else:
                after = before
            try:
                with transaction.atomic():
                    credit = PointsCredit.objects.create(
                        record=record,
                        delta=after - before,
                        balance_after=after,
                        reason=REASON,
                        reference=reference(n),
                        on=day,
                    )
            except IntegrityError:  # another run credited it meanwhile
                continue
            record.points_balance = after
            record.save(update_fields=["points_balance", "updated_at"])
            record_event(
                PermisEvent.PROBATION_POINTS_CREDITED,
                actor_role="systeme",
                target=record,
                data={
                    "neph": record.neph,
                    "anniversaire": n,
                    "date": day.isoformat(),
                    "avant": before,
                    "apres": after,
                    "aac": record.probation_aac,
                    "retrait_le": offence.on.isoformat() if offence else None,
                },
            )
            done.append(credit)
    return done


def credit_probation_points(today: date | None = None) -> int:
    """Run over every eligible licence; returns the number of anniversaries
    recorded. One transaction per licence so a long run holds no wide lock."""
    today = today or timezone.localdate()
    count = 0
    ids = list(eligible_records(today).values_list("pk", flat=True))
    for record_id in ids:
        count += len(credit_record(record_id, today))
    return count
