"""Reads of the contact app: what a person may see, and the deadline figures."""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .enums import TicketKind
from .models import OPEN_STATUSES, Ticket


def tickets_of(user):
    """The tickets a signed-in person sent (another person's ticket is a 404)."""
    if not user.is_authenticated:
        return Ticket.objects.none()
    return Ticket.objects.filter(user=user)


@dataclass(frozen=True)
class DeadlineFigures:
    kind: str
    label: str
    received: int
    answered: int
    answered_in_time: int
    open: int
    overdue: int

    @property
    def in_time_rate(self) -> int | None:
        """Percentage of answered tickets answered by their due date."""
        if not self.answered:
            return None
        return round(100 * self.answered_in_time / self.answered)


def deadline_statistics(queryset=None, today=None) -> list[DeadlineFigures]:
    """Per kind (requests, complaints): answered within the deadline or not,
    open and overdue. The first answer's date (Europe/Paris) is compared
    with the due date."""
    today = today or timezone.localdate()
    queryset = Ticket.objects.all() if queryset is None else queryset
    rows = (
        queryset.annotate(answered_on=TruncDate("answered_at"))
        .values("kind")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            answered_in_time=Count(
                "pk", filter=Q(answered_at__isnull=False, answered_on__lte=F("due_on"))
            ),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        )
    )
    found = {row["kind"]: row for row in rows}
    figures = []
    for kind in TicketKind:
        row = found.get(kind.value, {})
        figures.append(
            DeadlineFigures(
                kind=kind.value,
                label=kind.label,
                received=row.get("received", 0),
                answered=row.get("answered", 0),
                answered_in_time=row.get("answered_in_time", 0),
                open=row.get("open", 0),
                overdue=row.get("overdue", 0),
            )
        )
    return figures
