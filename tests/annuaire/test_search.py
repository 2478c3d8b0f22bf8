import pytest
from django.urls import reverse

from titres.annuaire import search
from titres.annuaire.geo import Origin

from .factories import DirectoryEntryFactory

pytestmark = pytest.mark.django_db

URL = "/annuaire/"


def place(name, lat, lon, **kwargs):
    return DirectoryEntryFactory(name=name, latitude=lat, longitude=lon, **kwargs)


@pytest.fixture
def places():
    return [
        place("Sedan gare", 49.6996, 4.9290, kind="cabine"),
        place("Charleville Ducale", 49.7733, 4.7206),
        place(
            "Reims centre",
            49.2583,
            4.0317,
            postal_code="51100",
            commune="Reims",
            departement_code="51",
        ),
        place(
            "Lyon Terreaux",
            45.7676,
            4.8336,
            postal_code="69001",
            commune="Lyon",
            departement_code="69",
        ),
        place("Point numérique Charleville", 49.7717, 4.7222, kind="point_numerique"),
        place("Retiré", 49.7730, 4.7200, is_active=False),
    ]


def test_nearest_first_with_distances():
    origin = Origin(49.7730, 4.7193, "08000")
    for name, lat, lon in [("loin", 45.76, 4.83), ("près", 49.77, 4.72), ("moyen", 49.25, 4.03)]:
        place(name, lat, lon)
    hits = search.nearest(origin=origin).hits
    assert [h.entry.name for h in hits] == ["près", "moyen", "loin"]
    assert hits[0].distance_km < 1 < hits[1].distance_km < hits[2].distance_km
    assert [h.rank for h in hits] == [1, 2, 3]


def test_pages_of_ten_then_the_next_ones():
    origin = Origin(49.0, 4.0, "x")
    for n in range(25):
        place(f"P{n:02d}", 49.0 + n * 0.01, 4.0)
    first = search.nearest(origin=origin, page=1)
    third = search.nearest(origin=origin, page=3)
    assert [h.entry.name for h in first.hits] == [f"P{n:02d}" for n in range(10)]
    assert first.has_next and not first.has_previous
    assert [h.entry.name for h in third.hits] == [f"P{n:02d}" for n in range(20, 25)]
    assert not third.has_next and third.start == 21
    assert search.nearest(origin=origin, page=10_000).number == search.MAX_PAGES


def test_search_by_postal_code_lists_nearest_first(client, places):
    response = client.get(URL, {"lieu": "08000"})
    assert response.status_code == 200
    page = response.content.decode()
    names = [h.entry.name for h in response.context["results"].hits]
    assert names[:2] == ["Charleville Ducale", "Point numérique Charleville"] or names[:2] == [
        "Point numérique Charleville",
        "Charleville Ducale",
    ]
    assert names[2:] == ["Sedan gare", "Reims centre", "Lyon Terreaux"]
    assert "Retiré" not in page
    assert "du plus proche au plus éloigné de 08000" in page
    first = response.context["results"].hits[0]
    assert f"à {first.distance_km:.1f} km".replace(".", ",") in page
    assert "annuaire-map__marker" in page and "annuaire-map__dept" in page


def test_filters_per_kind(client, places):
    response = client.get(URL, {"lieu": "08000", "types": ["cabine", "point_numerique"]})
    names = [h.entry.name for h in response.context["results"].hits]
    assert names == ["Point numérique Charleville", "Sedan gare"]


def test_search_by_commune_name_and_by_postal_code_and_name(client, places):
    response = client.get(URL, {"lieu": "Sedan"})
    assert response.context["results"].hits[0].entry.name == "Sedan gare"
    response = client.get(URL, {"lieu": "08200 sedan"})
    assert response.context["results"].hits[0].entry.name == "Sedan gare"


def test_an_ambiguous_name_offers_the_communes_as_links(client, places):
    response = client.get(URL, {"lieu": "Saint-Laurent"})
    page = response.content.decode()
    assert (
        "Plusieurs communes correspondent à « Saint-Laurent » : choisissez-la dans la liste."
        in page
    )
    choices = response.context["choices"]
    assert len(choices) > 3
    label, url = choices[0]
    follow = client.get(URL + url)
    assert follow.context["results"] is not None


def test_refusals_are_french(client):
    cases = {
        "99999": "Le code postal 99999 n’existe pas.",
        "08000 Sedan": "La commune « Sedan » ne correspond pas au code postal 08000.",
        "Zzyzx": "Aucune commune ne correspond à « Zzyzx ».",
        "": "Indiquez un code postal ou une commune, ou utilisez « Autour de moi ».",
    }
    for query, message in cases.items():
        response = client.get(URL, {"lieu": query, "types": ["cabine"]})
        assert response.status_code == 200
        assert message in response.content.decode(), query
        assert response.context["results"] is None
    response = client.get(URL, {"lieu": "x" * 101})
    assert "100 caractères" in response.content.decode()


def test_around_me_uses_the_rounded_position_and_stores_nothing(client, places):
    from titres.core.models import AuditEvent

    response = client.get(URL, {"latitude": "49.70123", "longitude": "4.93987"})
    assert response.context["origin"].latitude == 49.70
    assert response.context["origin"].longitude == 4.94
    assert response.context["results"].hits[0].entry.name == "Sedan gare"
    assert "votre position" in response.content.decode()
    assert not AuditEvent.objects.exists()
    response = client.get(URL, {"latitude": "120", "longitude": "4.9"})
    assert response.context["results"] is None


def test_the_search_is_rate_limited(client, settings, places):
    from titres.annuaire import views

    views_limit = views.SEARCH_LIMIT
    try:
        views.SEARCH_LIMIT = "2/minute"
        assert client.get(URL, {"lieu": "08000"}).status_code == 200
        assert client.get(URL, {"lieu": "08000"}).status_code == 200
        response = client.get(URL, {"lieu": "08000"})
        assert response.status_code == 429
        assert "Trop de recherches depuis votre adresse réseau" in response.content.decode()
    finally:
        views.SEARCH_LIMIT = views_limit


def test_the_page_without_a_search_shows_the_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["results"] is None
    assert 'name="lieu"' in response.content.decode()


def test_communes_autocompletion(client):
    response = client.get(reverse("annuaire:communes"), {"q": "charlev"})
    labels = [r["label"] for r in response.json()["results"]]
    assert "08000 Charleville-Mézières" in labels
    assert client.get(reverse("annuaire:communes"), {"q": "c"}).json() == {"results": []}
    response = client.get(reverse("annuaire:communes"), {"q": "0800"})
    assert all(r["label"].startswith("0800") for r in response.json()["results"])
