"""Commune centres, search origins, distances and the map's projection.

Coordinates of communes come from data/commune_centres.csv.gz (built by
scripts/build_annuaire_geo.py; source and licence there and in
docs/annuaire.md), loaded into CommuneCentre by the data migration. The
one source of where a commune lies: the directory's search and the ID
title appointments' slot search (titres/identite) both place a postal code
or a commune from here."""

from __future__ import annotations

import csv
import gzip
import math
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
CENTRES_FILE = DATA_DIR / "commune_centres.csv.gz"

# The map's projection: must match scripts/build_annuaire_geo.py.
MAP_LON0, MAP_LAT0, MAP_SCALE = -5.3, 51.2, 100.0
MAP_COS_LAT = math.cos(math.radians(46.5))
MAP_WIDTH, MAP_HEIGHT = 1050, 1000


EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Origin:
    latitude: float
    longitude: float
    label: str


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing the circle; lets the
    database use the coordinates index before the exact distance."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlon = min(180.0, math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def project(latitude: float, longitude: float) -> tuple[float, float] | None:
    """(x, y) on the map of metropolitan France, None outside it."""
    x = (longitude - MAP_LON0) * MAP_COS_LAT * MAP_SCALE
    y = (MAP_LAT0 - latitude) * MAP_SCALE
    if 0 <= x <= MAP_WIDTH and 0 <= y <= MAP_HEIGHT:
        return round(x, 1), round(y, 1)
    return None


def read_centres():
    with gzip.open(CENTRES_FILE, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@transaction.atomic
def load_commune_centres(model=None) -> int:
    """Replace the table's content with the committed file (the data
    migration passes its historical model)."""
    if model is None:
        from .models import CommuneCentre as model
    model.objects.all().delete()
    rows = [
        model(
            insee_code=row["code_insee"],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            source=row["source"],
        )
        for row in read_centres()
    ]
    model.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def ensure_commune_centres() -> None:
    """Load the table if it is empty (after a test flush, for example)."""
    from .models import CommuneCentre

    if not CommuneCentre.objects.exists():
        load_commune_centres()


def centre_of(insee_code: str) -> tuple[float, float] | None:
    from .models import CommuneCentre

    row = (
        CommuneCentre.objects.filter(insee_code=insee_code)
        .values_list("latitude", "longitude")
        .first()
    )
    return (row[0], row[1]) if row else None
