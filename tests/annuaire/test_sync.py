import datetime

import pytest

from tests.accounts.factories import HabilitationFactory
from titres.accounts.enums import HabilitationStatus
from titres.annuaire import search, sync
from titres.annuaire.geo import Origin
from titres.annuaire.models import DirectoryEntry

pytestmark = pytest.mark.django_db

CHARLEVILLE = Origin(49.7730, 4.7193, "08000 Charleville-Mézières")


def test_an_active_habilitation_is_listed_once_its_address_is_known():
    habilitation = HabilitationFactory(organisation_name="Garage du Centre")
    entry = DirectoryEntry.objects.get(habilitation=habilitation)
    assert entry.kind == "pro_siv" and entry.is_active and entry.name == "Garage du Centre"
    assert entry.latitude is None  # no address yet: not in the results
    assert search.nearest(origin=CHARLEVILLE).hits == []
    entry.postal_code, entry.commune, entry.insee_code = "08000", "Charleville-Mézières", "08105"
    entry.latitude = None
    sync.locate(entry)
    entry.save()
    assert [h.entry for h in search.nearest(origin=CHARLEVILLE).hits] == [entry]


def test_a_suspended_or_ended_habilitation_leaves_the_directory():
    habilitation = HabilitationFactory()
    habilitation.status = HabilitationStatus.SUSPENDUE
    habilitation.save()
    assert not DirectoryEntry.objects.get(habilitation=habilitation).is_active
    habilitation.status = HabilitationStatus.ACTIVE
    habilitation.ends_on = datetime.date(2020, 1, 1)
    habilitation.save()
    assert not DirectoryEntry.objects.get(habilitation=habilitation).is_active
    habilitation.ends_on = None
    habilitation.save()
    assert DirectoryEntry.objects.get(habilitation=habilitation).is_active


def test_a_town_hall_with_a_device_is_listed_with_its_hours_and_appointment_link(
    django_capture_on_commit_callbacks,
):
    from tests.accounts.factories import UserFactory
    from titres.identite.models import CollectionDevice, MeetingPoint, OpeningRule

    with django_capture_on_commit_callbacks(execute=True):
        point = MeetingPoint.objects.create(
            mairie=UserFactory(profile="mairie"),
            name="Mairie de Sedan",
            address="Place d’Armes",
            postal_code="08200",
            city_name="Sedan",
            insee_code="08409",
            departement_code="08",
            latitude=49.7019,
            longitude=4.9403,
            phone="03 24 27 84 84",
        )
    entry = DirectoryEntry.objects.get(meeting_point=point)
    assert not entry.is_active  # no collection device yet
    with django_capture_on_commit_callbacks(execute=True):
        device = CollectionDevice.objects.create(meeting_point=point, label="DR 1")
    entry.refresh_from_db()
    assert entry.is_active and entry.appointment_url == ""
    with django_capture_on_commit_callbacks(execute=True):
        OpeningRule.objects.create(
            device=device,
            weekday=1,
            start_time=datetime.time(9),
            end_time=datetime.time(12),
            valid_from=datetime.date(2026, 1, 1),
        )
    entry.refresh_from_db()
    assert entry.kind == "mairie"
    assert entry.opening_hours == "mardi 09:00–12:00"
    assert entry.appointment_url == "/identite/rendez-vous/?lieu=08200"
    with django_capture_on_commit_callbacks(execute=True):
        point.is_published = False
        point.save()
    entry.refresh_from_db()
    assert not entry.is_active
