"""Nearest-first search of the directory.

The coordinates index narrows the candidates to a box around the origin,
widened step by step until the page asked for is full (or the whole
country is covered); exact distances are computed for those candidates
only, then sorted. Bounded: PAGE_SIZE per page, MAX_PAGES pages."""

from __future__ import annotations

from dataclasses import dataclass

from . import geo
from .models import DirectoryEntry

PAGE_SIZE = 10
MAX_PAGES = 20
RADII_KM = (5, 15, 40, 100, 250, 600, 20000)


@dataclass(frozen=True)
class Hit:
    entry: DirectoryEntry
    distance_km: float
    rank: int  # 1-based position in the whole result list


@dataclass(frozen=True)
class ResultPage:
    hits: list[Hit]
    number: int
    has_next: bool
    radius_km: float
    total_within: int  # places within the last radius searched

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start(self) -> int:
        return self.hits[0].rank if self.hits else 0

    @property
    def end(self) -> int:
        return self.hits[-1].rank if self.hits else 0


def nearest(*, origin: geo.Origin, kinds: list[str] | None = None, page: int = 1) -> ResultPage:
    page = max(1, min(page, MAX_PAGES))
    wanted = page * PAGE_SIZE + 1  # one more: is there a next page?
    base = DirectoryEntry.objects.filter(is_active=True, latitude__isnull=False)
    if kinds:
        base = base.filter(kind__in=kinds)
    columns = ("pk", "latitude", "longitude")
    for radius in RADII_KM:
        min_lat, max_lat, min_lon, max_lon = geo.bounding_box(
            origin.latitude, origin.longitude, radius
        )
        candidates = base.filter(
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        ).values_list(*columns)
        distances = []
        for pk, lat, lon in candidates:
            distance = geo.haversine_km(origin.latitude, origin.longitude, lat, lon)
            if distance <= radius:
                distances.append((distance, pk))
        if len(distances) >= wanted or radius == RADII_KM[-1]:
            break
    distances.sort()
    chosen = distances[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    entries = DirectoryEntry.objects.in_bulk([pk for _d, pk in chosen])
    hits = [
        Hit(entries[pk], distance, (page - 1) * PAGE_SIZE + index + 1)
        for index, (distance, pk) in enumerate(chosen)
        if pk in entries
    ]
    return ResultPage(
        hits=hits,
        number=page,
        has_next=len(distances) > page * PAGE_SIZE and page < MAX_PAGES,
        radius_km=radius,
        total_within=len(distances),
    )
