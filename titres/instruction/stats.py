"""Statistics for the chef de service: activity per week, time to a
decision, backlog per agent."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from titres.procedures.enums import Status
from titres.procedures.models import Demarche, StatusChange

from .models import Assignment

OPEN_STATUSES = [Status.EN_COURS, Status.EN_ATTENTE_USAGER, Status.VALIDEE]
EVENTS = {"valider": "validated", "rejeter": "rejected", "demander_complement": "suspended"}


@dataclass
class Week:
    start: date
    received: int = 0
    validated: int = 0
    rejected: int = 0
    suspended: int = 0

    @property
    def label(self) -> str:
        iso = self.start.isocalendar()
        return f"{iso.year}-S{iso.week:02d}"


@dataclass
class Stats:
    weeks: list[Week]
    median_days: float | None
    decisions: int
    backlog: list[tuple[str, int]]
    unassigned: int

    @property
    def max_value(self) -> int:
        return max(
            [1] + [max(w.received, w.validated, w.rejected, w.suspended) for w in self.weeks]
        )


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def compute(authority, *, weeks: int = 8, today: date | None = None) -> Stats:
    today = today or timezone.localdate()
    first = _monday(today) - timedelta(weeks=weeks - 1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    rows = {first + timedelta(weeks=i): Week(first + timedelta(weeks=i)) for i in range(weeks)}

    files = Demarche.objects.filter(authority=authority)
    for submitted in files.filter(submitted_at__gte=start).values_list("submitted_at", flat=True):
        rows[_monday(timezone.localdate(submitted))].received += 1
    changes = StatusChange.objects.filter(
        demarche__authority=authority, created_at__gte=start, event__in=list(EVENTS)
    ).values_list("event", "created_at")
    for event, created in changes:
        week = rows.get(_monday(timezone.localdate(created)))
        if week:
            setattr(week, EVENTS[event], getattr(week, EVENTS[event]) + 1)

    durations = [
        (decided - submitted).total_seconds() / 86400
        for submitted, decided in files.filter(
            decided_at__gte=start, submitted_at__isnull=False
        ).values_list("submitted_at", "decided_at")
    ]
    median = round(statistics.median(durations), 1) if durations else None

    backlog = list(
        Assignment.objects.filter(demarche__authority=authority, demarche__status__in=OPEN_STATUSES)
        .values("agent__username")
        .annotate(n=Count("pk"))
        .order_by("-n", "agent__username")
        .values_list("agent__username", "n")
    )
    unassigned = files.filter(status__in=OPEN_STATUSES, assignment__isnull=True).count()
    return Stats(list(rows.values()), median, len(durations), backlog, unassigned)


def counts(queryset, *, agent=None) -> dict:
    """Counts per work-list tab (and assigned to `agent`, open files only)
    in one grouped query: one row per status, with how many of them are
    assigned to `agent`; each tab is the sum of its statuses' rows, which
    is the same number as a filtered count per tab (a file has one status
    and at most one assignment), for a third of the ORM work (issue 17,
    docs/capacity.md sixth pass)."""
    return tab_counts(counts_query(queryset, agent=agent), mine=agent is not None)


def counts_query(queryset, *, agent=None):
    """`counts`' grouped query: (status, n[, mine]) rows."""
    aggregates = {"n": Count("pk")}
    if agent is not None:
        aggregates["mine"] = Count("pk", filter=Q(assignment__agent=agent))
    return queryset.order_by().values_list("status").annotate(**aggregates)


def tab_counts(rows, *, mine: bool) -> dict:
    """`counts` from the rows of `counts_query`."""
    from .enums import TAB_STATUSES

    per_status = {row[0]: row[1:] for row in rows}
    result = {
        tab.value: sum(
            n for status, (n, *_mine) in per_status.items() if not statuses or status in statuses
        )
        for tab, statuses in TAB_STATUSES.items()
    }
    if mine:
        result["mine"] = sum(
            mine for status, (_n, mine) in per_status.items() if status in OPEN_STATUSES
        )
    return result
