"""Anonymous refusals, journaled without letting a stranger flood the journal.

Some endpoints must answer anyone (a payment provider's notification, the
FranceConnect callback) and refuse most of what a stranger sends. Journaling
every refusal lets one script write millions of journal entries (each one a
lock on the journal head). Here the first refusal of an event from one
address in a WINDOW is journaled (with how aggregation works); the next ones
only add one to that window's RefusalTally row. Past MAX_SOURCES addresses
in a window (an attacker rotating addresses), the others share the row of
source "*". So a flood costs at most MAX_SOURCES + 1 journal entries and
rows per event and per window, and the operators still see every count in
the admin ("Refus agrégés").

    if record_refusal(PaiementsEvent.NOTIFICATION_REFUSED, request=request, data={...}):
        ...  # first of its window: store the bounded details too
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .audit import AuditCode
from .journal import client_ip, record_event
from .models import RefusalTally

WINDOW = datetime.timedelta(hours=1)
MAX_SOURCES = 100
OTHER_SOURCES = "*"
RETENTION = datetime.timedelta(days=90)


def window_start(now: datetime.datetime) -> datetime.datetime:
    seconds = int(WINDOW.total_seconds())
    return datetime.datetime.fromtimestamp(
        int(now.timestamp()) // seconds * seconds, tz=datetime.UTC
    )


@transaction.atomic
def record_refusal(
    event: AuditCode,
    *,
    kind: str = "",
    request=None,
    object_type: str = "",
    object_id: str = "",
    data=None,
) -> bool:
    """Count one refusal; journal it if it is the first of its window for
    its source and kind (e.g. the reason, so that each reason is journaled
    at least once). Returns True when it was journaled."""
    now = timezone.now()
    start = window_start(now)
    source = client_ip(request) or "inconnue"
    kind = kind[:60]
    rows = RefusalTally.objects.filter(event=event.value, kind=kind, window_start=start)
    if (
        not rows.filter(source=source).exists()
        and rows.exclude(source=OTHER_SOURCES).count() >= MAX_SOURCES
    ):
        source = OTHER_SOURCES
    tally, created = RefusalTally.objects.get_or_create(
        event=event.value,
        kind=kind,
        window_start=start,
        source=source,
        defaults={"count": 1, "first_at": now, "last_at": now},
    )
    if not created:
        RefusalTally.objects.filter(pk=tally.pk).update(count=F("count") + 1, last_at=now)
        return False
    RefusalTally.objects.filter(event=event.value, window_start__lt=now - RETENTION).delete()
    record_event(
        event,
        actor=None,
        request=request,
        object_type=object_type,
        object_id=object_id,
        data={
            **(data or {}),
            "agregation": (
                f"premier refus de cette source depuis {start.isoformat()} ; les suivants de la "
                f"fenêtre ({int(WINDOW.total_seconds() // 60)} min) sont comptés dans les refus "
                "agrégés"
            ),
        },
    )
    return True
