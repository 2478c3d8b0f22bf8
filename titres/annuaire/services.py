"""Every write of the announcements and the maintenance switch: atomic,
one journal entry each (titres/annuaire/audit.py)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from titres.core.journal import record_event

from . import announcements, maintenance
from .audit import AnnuaireEvent
from .enums import AnnouncementKind
from .models import Announcement, MaintenanceMode


def _after_commit_forget() -> None:
    transaction.on_commit(announcements.forget_cached)


@transaction.atomic
def publish_announcement(
    *,
    actor,
    kind: str,
    audience: str,
    title: str,
    body: str,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    work_starts_at: datetime | None = None,
    work_ends_at: datetime | None = None,
    request=None,
) -> Announcement:
    """Publish an announcement (validated by the model: dates in order, a
    maintenance with its work dates)."""
    announcement = Announcement(
        kind=kind,
        audience=audience,
        title=title,
        body=body,
        starts_at=starts_at or timezone.now(),
        ends_at=ends_at,
        work_starts_at=work_starts_at,
        work_ends_at=work_ends_at,
        created_by=actor,
    )
    if kind == AnnouncementKind.MAINTENANCE and ends_at is None:
        announcement.ends_at = work_ends_at
    announcement.full_clean()
    announcement.save()
    record_event(
        AnnuaireEvent.ANNOUNCEMENT_PUBLISHED,
        actor=actor,
        request=request,
        target=announcement,
        data={"kind": kind, "audience": audience},
    )
    _after_commit_forget()
    return announcement


@transaction.atomic
def update_announcement(*, announcement: Announcement, actor, changed: list[str], request=None):
    """Save an operator's edit (the admin form already set the fields)."""
    announcement.full_clean()
    announcement.save()
    if changed:
        record_event(
            AnnuaireEvent.ANNOUNCEMENT_CHANGED,
            actor=actor,
            request=request,
            target=announcement,
            data={"fields": sorted(changed)},
        )
    _after_commit_forget()
    return announcement


@transaction.atomic
def withdraw_announcement(*, announcement: Announcement, actor, request=None) -> bool:
    """Stop showing an announcement (kept, for the record). False if it was
    already withdrawn."""
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if locked.withdrawn_at is not None:
        return False
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at"])
    announcement.withdrawn_at = locked.withdrawn_at
    record_event(AnnuaireEvent.ANNOUNCEMENT_WITHDRAWN, actor=actor, request=request, target=locked)
    _after_commit_forget()
    return True


@transaction.atomic
def switch_maintenance(
    *,
    actor,
    on: bool,
    message: str = "",
    expected_end: datetime | None = None,
    request=None,
) -> MaintenanceMode:
    """Turn maintenance mode on or off. Switching to the state it is already
    in only updates the message and the announced return (journaled as the
    same event, so the journal says who set what the citizens read)."""
    row = MaintenanceMode.objects.select_for_update().order_by("pk").first()
    if row is None:
        row = MaintenanceMode()
    row.is_on = on
    row.message = message if on else ""
    row.expected_end = expected_end if on else None
    row.switched_at = timezone.now()
    row.switched_by = actor
    row.full_clean()
    row.save()
    record_event(
        AnnuaireEvent.MAINTENANCE_ON if on else AnnuaireEvent.MAINTENANCE_OFF,
        actor=actor,
        request=request,
        target=row,
        data={"expected_end": expected_end.isoformat() if on and expected_end else None},
    )
    transaction.on_commit(maintenance.forget_cached_state)
    return row
