import pytest

from titres.identite.enums import AppointmentStatus
from titres.identite.services.appointments import book_appointment

from .factories import PreDemandeFactory
from .helpers import bookable_device, next_slots

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment():
    device = bookable_device(name="Mairie de Lyon 1er")
    (appointment,) = book_appointment(
        application_ids=[PreDemandeFactory(first_names="Léa").number],
        device=device,
        starts_at=next_slots(device, 1)[0],
        actor=None,
    )
    return appointment


def url(appointment, token=None):
    return f"/identite/rendez-vous/{appointment.reference}/{token or appointment.management_token}/"


def test_the_management_link_shows_the_booking_without_an_account(client, appointment):
    response = client.get(url(appointment))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mairie de Lyon 1er" in content
    assert "Léa MARTIN" in content
    assert "Annuler ce rendez-vous" in content


def test_a_wrong_token_is_a_404(client, appointment):
    assert client.get(url(appointment, token="x" * 43)).status_code == 404
    assert client.post(url(appointment, token="x" * 43)).status_code == 404


def test_cancel_from_the_management_link(client, appointment):
    response = client.post(url(appointment), follow=True)
    assert "Votre rendez-vous est annulé." in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert "Annuler ce rendez-vous" not in response.content.decode()
    response = client.post(url(appointment), follow=True)
    assert "Ce rendez-vous n’existe pas ou a déjà été annulé." in response.content.decode()
