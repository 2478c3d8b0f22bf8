import pytest

from titres.annuaire import geo
from titres.annuaire.models import CommuneCentre
from titres.permis.models import Commune

pytestmark = pytest.mark.django_db

# Overseas collectivities outside the source (Saint-Pierre-et-Miquelon,
# Saint-Barthélemy, Saint-Martin, Wallis-et-Futuna, French Polynesia, New
# Caledonia, Clipperton): see docs/annuaire.md.
UNPLACED_PREFIXES = ("975", "977", "978", "986", "987", "988", "989")


def test_every_commune_of_the_table_has_a_centre_but_the_overseas_collectivities():
    codes = set(Commune.objects.values_list("insee_code", flat=True))
    placed = set(CommuneCentre.objects.values_list("insee_code", flat=True))
    missing = codes - placed
    assert len(codes) > 34_000
    assert missing, "the overseas collectivities are not in the source"
    assert all(code.startswith(UNPLACED_PREFIXES) for code in missing), sorted(missing)[:10]


def test_a_centre_is_where_the_town_hall_is():
    lat, lon = geo.centre_of("08105")  # Charleville-Mézières, place Ducale
    assert geo.haversine_km(lat, lon, 49.7733, 4.7206) < 2
    lat, lon = geo.centre_of("97411")  # Saint-Denis (La Réunion)
    assert geo.haversine_km(lat, lon, -20.88, 55.45) < 5


def test_the_map_projection_places_metropolitan_france_only():
    paris = geo.project(48.8566, 2.3522)
    brest = geo.project(48.39, -4.49)
    strasbourg = geo.project(48.57, 7.75)
    assert paris and brest and strasbourg
    assert brest[0] < paris[0] < strasbourg[0]
    assert geo.project(-20.88, 55.45) is None  # La Réunion: outside the map
