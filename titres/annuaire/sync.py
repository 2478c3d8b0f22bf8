"""The directory's rows derived from other apps' records, kept in step by
signals (titres/annuaire/signals.py) and by `manage.py sync_annuaire`:

- SIV professionals from their habilitation (seed 000 §1.2: "issues de
  l'application SIV"): shown while the habilitation is active and the
  establishment's address is known (operators fill it in the admin; the
  habilitation record carries none);
- town halls from their meeting points (identite): shown while published
  with an active collection device, with the appointment link when a device
  publishes weekly openings.

Derived data: the journal holds the habilitation's and the meeting point's
own changes, not these copies."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from titres.accounts.enums import HabilitationStatus

from . import geo
from .enums import EntryKind, EntrySource
from .models import DirectoryEntry


def locate(entry: DirectoryEntry) -> None:
    """Coordinates from the commune when none were given."""
    if entry.latitude is None and entry.insee_code:
        centre = geo.centre_of(entry.insee_code)
        if centre:
            entry.latitude, entry.longitude = centre


@transaction.atomic
def sync_habilitation(habilitation) -> DirectoryEntry:
    entry, _created = DirectoryEntry.objects.get_or_create(
        source=EntrySource.HABILITATION,
        source_key=str(habilitation.pk),
        defaults={"kind": EntryKind.PRO_SIV, "habilitation": habilitation, "name": ""},
    )
    entry.habilitation = habilitation
    entry.name = habilitation.organisation_name
    entry.departement_code = entry.departement_code or habilitation.department
    entry.is_active = habilitation.status == HabilitationStatus.ACTIVE and (
        habilitation.ends_on is None or habilitation.ends_on >= timezone.localdate()
    )
    locate(entry)
    entry.save()
    return entry


def _hours_of(meeting_point) -> str:
    rules = []
    for device in meeting_point.devices.all():
        if not device.is_active:
            continue
        for rule in device.opening_rules.all():
            rules.append((rule.weekday, rule.start_time, rule.end_time, rule.get_weekday_display()))
    seen = []
    for _weekday, start, end, label in sorted(set(rules)):
        text = f"{label} {start:%H:%M}–{end:%H:%M}"
        if text not in seen:
            seen.append(text)
    return ", ".join(seen)[:300]


@transaction.atomic
def sync_meeting_point(meeting_point) -> DirectoryEntry:
    devices = [d for d in meeting_point.devices.all() if d.is_active]
    publishes = any(d.opening_rules.exists() for d in devices)
    entry, _created = DirectoryEntry.objects.get_or_create(
        source=EntrySource.LIEU_RDV,
        source_key=str(meeting_point.pk),
        defaults={"kind": EntryKind.MAIRIE, "meeting_point": meeting_point, "name": ""},
    )
    entry.meeting_point = meeting_point
    entry.name = meeting_point.name
    entry.address = meeting_point.address
    entry.postal_code = meeting_point.postal_code
    entry.commune = meeting_point.city_name
    entry.insee_code = meeting_point.insee_code
    entry.departement_code = meeting_point.departement_code
    entry.latitude = meeting_point.latitude
    entry.longitude = meeting_point.longitude
    entry.phone = meeting_point.phone
    entry.opening_hours = _hours_of(meeting_point)
    entry.appointment_url = (
        reverse("identite:rdv_search") + f"?lieu={meeting_point.postal_code}" if publishes else ""
    )
    entry.is_active = meeting_point.is_published and bool(devices)
    entry.save()
    return entry


def sync_all() -> tuple[int, int]:
    """Rebuild every derived row (after an import of habilitations or
    meeting points made without signals, e.g. bulk_create)."""
    from titres.accounts.models import Habilitation
    from titres.identite.models import MeetingPoint

    habilitations = 0
    for habilitation in Habilitation.objects.all().iterator():
        sync_habilitation(habilitation)
        habilitations += 1
    points = 0
    for point in MeetingPoint.objects.prefetch_related("devices__opening_rules").iterator(
        chunk_size=500
    ):
        sync_meeting_point(point)
        points += 1
    return habilitations, points
