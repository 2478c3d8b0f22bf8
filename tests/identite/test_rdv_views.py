import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from titres.identite.emails import send_reminders
from titres.identite.enums import AppointmentStatus
from titres.identite.models import Appointment

from .factories import PreDemandeFactory
from .helpers import bookable_device, next_slots

pytestmark = pytest.mark.django_db


def book_url(device, starts_at, numbers=""):
    url = reverse(
        "identite:rdv_book", args=[device.pk, timezone.localtime(starts_at).strftime("%Y%m%dT%H%M")]
    )
    return url + (f"?numeros={numbers}" if numbers else "")


def test_search_is_public_and_lists_town_halls_nearest_first(client):
    bookable_device(
        name="Mairie de Bron",
        latitude=45.7386,
        longitude=4.9133,
        postal_code="69500",
        insee_code="69029",
    )
    bookable_device(name="Mairie de Lyon 1er")
    response = client.get(
        reverse("identite:rdv_search"), {"lieu": "69001", "rayon": 20, "personnes": 1}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Mairie de Lyon 1er") < content.index("Mairie de Bron")
    assert "Premier créneau libre" in content
    assert "à 6.9 km" in content or "à 6,9 km" in content


def test_search_around_me_with_browser_coordinates(client):
    bookable_device(name="Mairie de Lyon 1er")
    response = client.get(
        reverse("identite:rdv_search"),
        {"latitude": "45.76", "longitude": "4.83", "rayon": 5, "personnes": 1},
    )
    assert "Mairie de Lyon 1er" in response.content.decode()
    assert "près de votre position" in response.content.decode()


def test_search_refusals(client):
    response = client.get(reverse("identite:rdv_search"), {"lieu": "", "rayon": 20, "personnes": 1})
    assert (
        "Indiquez un code postal ou une commune, ou utilisez « Autour de moi »."
        in response.content.decode()
    )
    for place, message in [
        ("99999", "Le code postal 99999 n’existe pas."),
        ("Xyzzyville", "Aucune commune ne correspond à « Xyzzyville »."),
        ("54000 Metz", "La commune « Metz » ne correspond pas au code postal 54000."),
        (
            "Saint-Martin",
            "Plusieurs communes correspondent à « Saint-Martin » : précisez le code postal (",
        ),
    ]:
        response = client.get(
            reverse("identite:rdv_search"), {"lieu": place, "rayon": 20, "personnes": 1}
        )
        assert message in response.content.decode(), place


def test_a_place_without_town_hall_is_searched_not_refused(client):
    """Paris has no meeting point here: the search runs from its centre and
    says nothing is near, instead of refusing the place."""
    bookable_device(name="Mairie de Lyon 1er")
    response = client.get(
        reverse("identite:rdv_search"), {"lieu": "75001", "rayon": 20, "personnes": 1}
    )
    assert response.status_code == 200
    assert "Mairie de Lyon 1er" not in response.content.decode()
    assert not response.context["form"].errors


def test_booking_needs_an_account(client):
    device = bookable_device()
    (slot,) = next_slots(device, 1)
    response = client.get(book_url(device, slot))
    assert response.status_code == 302
    assert "/compte/" in response.url


def test_book_sends_the_confirmation_with_ics_and_management_link(
    client, citizen, django_capture_on_commit_callbacks
):
    device = bookable_device(name="Mairie de Lyon 1er")
    predemande = PreDemandeFactory(owner=citizen)
    (slot,) = next_slots(device, 1)
    assert client.get(book_url(device, slot, predemande.number)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            book_url(device, slot),
            {"numeros": predemande.number.lower(), "email": "lea@example.fr"},
        )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse(
        "identite:manage_appointment", args=[appointment.reference, appointment.management_token]
    )
    assert appointment.booked_by == citizen
    (message,) = mail.outbox
    assert message.to == ["lea@example.fr"]
    assert "Mairie de Lyon 1er" in message.body
    assert (
        f"/identite/rendez-vous/{appointment.reference}/{appointment.management_token}/"
        in message.body
    )
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("rendez-vous.ics", "text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in text and "DTSTART:" in text


def test_a_second_booking_shows_the_first_then_moves_it_in_one_step(client, citizen):
    here, there = bookable_device(name="Mairie de Lyon 1er"), bookable_device(name="Mairie de Bron")
    predemande = PreDemandeFactory(owner=citizen)
    (first_slot,) = next_slots(here, 1)
    client.post(book_url(here, first_slot), {"numeros": predemande.number, "email": "a@example.fr"})
    first = Appointment.objects.get()
    (other_slot,) = next_slots(there, 1)
    response = client.post(
        book_url(there, other_slot), {"numeros": predemande.number, "email": "a@example.fr"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Un rendez-vous est déjà réservé" in content
    assert "Mairie de Lyon 1er" in content
    assert f"/identite/rendez-vous/{first.reference}/{first.management_token}/" in content
    response = client.post(
        book_url(there, other_slot),
        {"numeros": predemande.number, "email": "a@example.fr", "remplacer": "on"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == AppointmentStatus.CANCELLED
    assert (
        Appointment.objects.get(status=AppointmentStatus.ACTIVE).meeting_point.name
        == "Mairie de Bron"
    )


def test_someone_elses_booked_number_shows_the_date_but_not_the_management_link(client, citizen):
    here, there = bookable_device(name="Mairie de Lyon 1er"), bookable_device()
    stranger_number = PreDemandeFactory()
    from titres.identite.services.appointments import book_appointment

    (first,) = book_appointment(
        application_ids=[stranger_number.number],
        device=here,
        starts_at=next_slots(here, 1)[0],
        actor=None,
    )
    response = client.post(
        book_url(there, next_slots(there, 1)[0]),
        {"numeros": stranger_number.number, "email": "a@example.fr"},
    )
    content = response.content.decode()
    assert "Mairie de Lyon 1er" in content
    assert first.management_token not in content


def test_refused_numbers_are_explained(client, citizen):
    device = bookable_device()
    (slot,) = next_slots(device, 1)
    consumed = PreDemandeFactory(consumed=True)
    response = client.post(
        book_url(device, slot), {"numeros": consumed.number, "email": "a@example.fr"}
    )
    assert (
        "a déjà été recueilli en mairie : un rendez-vous n’est plus nécessaire."
        in response.content.decode()
    )
    assert not Appointment.objects.exists()


def test_a_slot_not_published_is_a_404_or_says_so(client, citizen):
    device = bookable_device()
    assert client.get(reverse("identite:rdv_book", args=[device.pk, "nonsense"])).status_code == 404
    assert (
        client.get(reverse("identite:rdv_book", args=[999999, "20300101T0900"])).status_code == 404
    )
    response = client.get(reverse("identite:rdv_book", args=[device.pk, "20300101T0905"]))
    assert "Ce créneau n’est plus proposé." in response.content.decode()


def test_reminder_two_days_before_once(django_capture_on_commit_callbacks):
    device = bookable_device()
    now = timezone.now()
    in_two_days = timezone.localtime(now) + datetime.timedelta(days=2)
    from titres.identite.services.appointments import book_appointment

    starts = [
        s for s in next_slots(device, 30) if timezone.localtime(s).date() == in_two_days.date()
    ]
    (appointment,) = book_appointment(
        application_ids=[PreDemandeFactory().number],
        device=device,
        starts_at=starts[0],
        actor=None,
        email="rappel@example.fr",
    )
    book_appointment(
        application_ids=[PreDemandeFactory().number],
        device=device,
        starts_at=next_slots(device, 1)[0],
        actor=None,
        email="demain@example.fr",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(now=now) == 1
        assert send_reminders(now=now) == 0
    assert [m.to for m in mail.outbox] == [["rappel@example.fr"]]
    assert "Rappel : rendez-vous en mairie" in mail.outbox[0].subject
