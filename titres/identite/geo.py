"""Distances and search origins.

The communes table (titres.permis) has no coordinates and no package we may
install carries commune centres, so a postal code or a commune is placed
from what exists: the centroid of the published meeting points of that
commune, else of that postal code, else of its département. "Autour de
moi" uses the browser's coordinates, which are never stored."""

import math
from dataclasses import dataclass

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


def _centroid(queryset):
    """Mean of the coordinates (fine at the scale of a département)."""
    from django.db.models import Avg

    means = queryset.aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
    if means["lat"] is None:
        return None
    return means["lat"], means["lon"]


def origin_for_commune(*, postal_code: str = "", insee_code: str = "") -> Origin | None:
    """Where a postal code or commune lies, from the meeting points."""
    from titres.permis.models import Commune

    from .models import MeetingPoint

    published = MeetingPoint.objects.filter(is_published=True)
    communes = Commune.objects.all()
    if insee_code:
        communes = communes.filter(insee_code=insee_code)
    if postal_code:
        communes = communes.filter(postal_code=postal_code)
    commune = communes.order_by("name").first()
    if commune is None:
        return None
    label = f"{commune.postal_code} {commune.name}"
    for queryset in (
        published.filter(insee_code=commune.insee_code),
        published.filter(postal_code=commune.postal_code),
        published.filter(departement_code=commune.departement_code),
    ):
        centre = _centroid(queryset)
        if centre:
            return Origin(latitude=centre[0], longitude=centre[1], label=label)
    return None
