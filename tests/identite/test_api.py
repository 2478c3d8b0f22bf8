import datetime

import pytest
from django.utils import timezone

from titres.identite.enums import AppointmentSource, AppointmentStatus
from titres.identite.models import Appointment
from titres.identite.services.appointments import book_appointment
from titres.identite.services.vendors import create_vendor

from .factories import PreDemandeFactory
from .helpers import bookable_device, next_slots

pytestmark = pytest.mark.django_db

STATUS = "/identite/api/status"
APPOINTMENTS = "/identite/api/appointments"


@pytest.fixture
def vendor():
    return create_vendor(name="RDV Soft", actor=None)


@pytest.fixture
def api(client, vendor):
    _, token = vendor
    headers = {"HTTP_X_HUB_RDV_AUTH_TOKEN": token}

    def call(method, url, **params):
        from urllib.parse import urlencode

        query = urlencode(params, doseq=True)
        return getattr(client, method)(f"{url}?{query}", **headers)

    return call


def future(days=3, hour=10):
    return (timezone.localtime() + datetime.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def declare(api, number, when=None, point="Mairie de Caen"):
    return api(
        "post",
        APPOINTMENTS,
        application_id=number,
        meeting_point=point,
        meeting_point_id="caen-1",
        appointment_date=(when or future()).isoformat(),
        management_url="https://rdv.example/gerer/42",
    )


def test_token_is_required(client):
    response = client.get(f"{STATUS}?application_ids=ABC")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Jeton absent ou invalide (en-tête X-HUB-RDV-AUTH-TOKEN).",
        "code": "unauthorized",
    }
    response = client.get(f"{STATUS}?application_ids=ABC", HTTP_X_HUB_RDV_AUTH_TOKEN="nope")
    assert response.status_code == 401


def test_an_inactive_vendor_is_refused(client, vendor):
    vendor_row, token = vendor
    vendor_row.is_active = False
    vendor_row.save()
    response = client.get(f"{STATUS}?application_ids=X", HTTP_X_HUB_RDV_AUTH_TOKEN=token)
    assert response.status_code == 401


def test_status_of_every_kind_of_number(api):
    device = bookable_device(name="Mairie de Lyon 1er")
    validated = PreDemandeFactory()
    booked = PreDemandeFactory()
    (appointment,) = book_appointment(
        application_ids=[booked.number],
        device=device,
        starts_at=next_slots(device, 1)[0],
        actor=None,
    )
    consumed = PreDemandeFactory(consumed=True)
    declared = PreDemandeFactory(declared=True)
    expired = PreDemandeFactory(expires_at=timezone.now() - datetime.timedelta(days=1))
    unknown = PreDemandeFactory.build().number
    response = api(
        "get",
        STATUS,
        application_ids=[
            f"{validated.number},{booked.number.lower()}",
            consumed.number,
            declared.number,
            expired.number,
            unknown,
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert {number: entry["status"] for number, entry in body.items()} == {
        validated.number: "validated",
        booked.number: "validated",
        consumed.number: "consumed",
        declared.number: "declared",
        expired.number: "expired",
        unknown: "unknown",
    }
    (listed,) = body[booked.number]["appointments"]
    assert listed["meeting_point"] == "Mairie de Lyon 1er"
    assert listed["meeting_point_id"] == str(device.meeting_point_id)
    assert listed["appointment_date"] == timezone.localtime(appointment.starts_at).isoformat()
    assert listed["management_url"].endswith(
        f"/identite/rendez-vous/{appointment.reference}/{appointment.management_token}/"
    )
    assert body[validated.number]["appointments"] == []


def test_status_bounds_and_malformed_numbers(api):
    response = api("get", STATUS)
    assert response.status_code == 400
    assert response.json()["detail"] == "Indiquez au moins un numéro (application_ids)."
    many = [PreDemandeFactory.build().number for _ in range(21)]
    response = api("get", STATUS, application_ids=",".join(many))
    assert response.status_code == 400
    assert response.json()["detail"] == "Au plus 20 numéros par appel."
    response = api("get", STATUS, application_ids="ABCDEFGHJK")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_application_id"


def test_post_declares_an_appointment_then_a_second_one_is_a_conflict(api, vendor):
    predemande = PreDemandeFactory()
    response = declare(api, predemande.number)
    assert response.status_code == 201
    assert response.json() == {"success": True}
    appointment = Appointment.objects.get()
    assert appointment.source == AppointmentSource.VENDOR
    assert appointment.vendor == vendor[0]
    assert appointment.external_meeting_point == "Mairie de Caen"
    response = declare(api, predemande.number, when=future(days=5), point="Mairie de Bayeux")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "already_booked"
    assert body["appointments"][0]["meeting_point"] == "Mairie de Caen"
    assert body["appointments"][0]["management_url"] == "https://rdv.example/gerer/42"
    # The portal refuses it too: one register.
    device = bookable_device()
    from titres.identite.errors import RegisterError

    with pytest.raises(RegisterError):
        book_appointment(
            application_ids=[predemande.number],
            device=device,
            starts_at=next_slots(device, 1)[0],
            actor=None,
        )


@pytest.mark.parametrize(
    ("trait", "status", "code"),
    [("consumed", 409, "consumed"), ("declared", 409, "declared"), ("expired", 409, "expired")],
)
def test_post_refuses_numbers_that_are_not_validated(api, trait, status, code):
    response = declare(api, PreDemandeFactory(**{trait: True}).number)
    assert response.status_code == status
    assert response.json()["code"] == code


def test_post_unknown_number_and_bad_parameters(api):
    response = declare(api, PreDemandeFactory.build().number)
    assert response.status_code == 404
    assert response.json()["code"] == "unknown"
    response = api("post", APPOINTMENTS, application_id="X")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "meeting_point est obligatoire (200 caractères au plus). appointment_date est "
        "obligatoire, au format ISO 8601 (2026-12-24T09:30:00+01:00). management_url doit "
        "être une adresse https (500 caractères au plus)."
    )
    response = declare(api, PreDemandeFactory().number, when=future(days=-2))
    assert response.status_code == 400
    assert response.json()["detail"] == "appointment_date est dans le passé."


def test_delete_only_the_vendors_own_appointment(api, client):
    predemande = PreDemandeFactory()
    when = future()
    declare(api, predemande.number, when=when)
    _, other_token = create_vendor(name="Autre éditeur", actor=None)
    params = f"application_id={predemande.number}&meeting_point=Mairie de Caen&appointment_date={when.isoformat().replace('+', '%2B')}"
    response = client.delete(f"{APPOINTMENTS}?{params}", HTTP_X_HUB_RDV_AUTH_TOKEN=other_token)
    assert response.status_code == 404
    assert response.json()["detail"] == (
        "Aucun rendez-vous actif de votre logiciel ne correspond à ces paramètres."
    )
    response = api(
        "delete",
        APPOINTMENTS,
        application_id=predemande.number,
        meeting_point="Mairie de Caen",
        appointment_date=when.isoformat(),
    )
    assert response.status_code == 200
    assert response.json() == {"rowcount": 1}
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED
    # Bookable again.
    assert declare(api, predemande.number).status_code == 201


def test_wrong_method(api):
    assert api("put", APPOINTMENTS).status_code == 405
    assert api("post", STATUS).json()["code"] == "method_not_allowed"
