"""Slot search across every town hall: nearest first, with the first free
slot and the distance."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from titres.annuaire.geo import Origin, bounding_box, haversine_km

from . import conf
from .models import MeetingPoint
from .slots import Slot, iter_slots


@dataclass
class MeetingPointResult:
    meeting_point: MeetingPoint
    distance_km: float
    slots: list[Slot] = field(default_factory=list)

    @property
    def first_slot(self) -> Slot | None:
        return self.slots[0] if self.slots else None


def search_slots(
    *,
    origin: Origin,
    radius_km: float,
    first: datetime.date,
    last: datetime.date,
    people: int = 1,
    max_points: int = 20,
    slots_per_point: int = 12,
    now: datetime.datetime | None = None,
) -> list[MeetingPointResult]:
    """Meeting points within `radius_km` of `origin` that have a slot with
    `people` free places between `first` and `last`, nearest first; for
    each, its next `slots_per_point` slots across its devices."""
    radius_km = min(float(radius_km), conf.search_max_radius_km())
    today = timezone.localdate(now) if now else timezone.localdate()
    first = max(first, today)
    last = min(last, today + datetime.timedelta(days=conf.search_max_days()))
    if last < first:
        return []
    min_lat, max_lat, min_lon, max_lon = bounding_box(origin.latitude, origin.longitude, radius_km)
    candidates = []
    points = MeetingPoint.objects.filter(
        is_published=True,
        latitude__range=(min_lat, max_lat),
        longitude__range=(min_lon, max_lon),
    ).prefetch_related("devices")
    for point in points:
        distance = haversine_km(origin.latitude, origin.longitude, point.latitude, point.longitude)
        if distance <= radius_km:
            candidates.append((distance, point.pk, point))
    candidates.sort(key=lambda item: (item[0], item[1]))

    results: list[MeetingPointResult] = []
    # Points are taken by batches, nearest first, so a dense area does not
    # compute slots for hundreds of town halls when twenty are shown.
    batch = max(max_points, 10)
    for offset in range(0, len(candidates), batch):
        chunk = candidates[offset : offset + batch]
        device_ids = [d.pk for _, _, point in chunk for d in point.devices.all() if d.is_active]
        iterators = iter_slots(device_ids, first, last, now=now, people=people)
        for distance, _, point in chunk:
            merged = []
            for device in point.devices.all():
                iterator = iterators.get(device.pk)
                if iterator is None:
                    continue
                # Each iterator is in order: its first `slots_per_point` are
                # enough to know the point's first `slots_per_point`.
                for count, slot in enumerate(iterator, start=1):
                    merged.append(slot)
                    if count >= slots_per_point:
                        break
            merged.sort(key=lambda slot: (slot.starts_at, slot.device_id))
            if merged:
                results.append(
                    MeetingPointResult(point, round(distance, 1), merged[:slots_per_point])
                )
            if len(results) >= max_points:
                return results
    return results
