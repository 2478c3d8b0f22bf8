import datetime as dt

import pytest
from django.utils import timezone

from tests.identite.factories import PreDemandeFactory
from titres.identite.enums import TitleKind
from titres.identite.models import Appointment, AppointmentApplication, IssuedTitle
from titres.partenaires.enums import Scope

from .factories import issue
from .helpers import error, get

pytestmark = pytest.mark.django_db

TITLE_URL = "/api/v1/titre-identite"
PRE_URL = "/api/v1/pre-demande"


def title(number="X4RTBPFW4", kind=TitleKind.CNI, **extra):
    today = timezone.localdate()
    values = {
        "issued_on": today - dt.timedelta(days=400),
        "expires_on": today + dt.timedelta(days=3000),
        **extra,
    }
    return IssuedTitle.objects.create(number=number, kind=kind, **values)


@pytest.mark.parametrize(
    ("extra", "state"),
    [
        ({}, "valide"),
        ({"expires_on": dt.date(2020, 1, 1)}, "expire"),
        ({"declared_lost_on": dt.date(2025, 3, 1)}, "declare_perdu"),
        ({"declared_stolen_on": dt.date(2025, 3, 1)}, "declare_vole"),
        # Stolen stays stolen once expired, and wins over a loss.
        (
            {
                "expires_on": dt.date(2020, 1, 1),
                "declared_lost_on": dt.date(2019, 1, 1),
                "declared_stolen_on": dt.date(2019, 2, 1),
            },
            "declare_vole",
        ),
    ],
)
def test_title_states(client, extra, state):
    title(**extra)
    _, secret = issue(scopes=[Scope.IDENTITE_TITRE])
    response = get(client, TITLE_URL, secret, {"numero": "x4rt bpfw4"})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "data": {"etat": state, "type_titre": "cni"},
        "meta": {"withheld": [], "request_id": response["X-Request-ID"]},
    }


def test_title_expires_at_the_end_of_its_last_day(client):
    title(expires_on=timezone.localdate())
    _, secret = issue(scopes=[Scope.IDENTITE_TITRE])
    assert (
        get(client, TITLE_URL, secret, {"numero": "X4RTBPFW4"}).json()["data"]["etat"] == "valide"
    )


def test_title_kind_filter_and_old_card_number(client):
    title(number="880692310285", kind=TitleKind.CNI)
    title(number="18AB12345", kind=TitleKind.PASSEPORT)
    _, secret = issue(scopes=[Scope.IDENTITE_TITRE])
    assert get(client, TITLE_URL, secret, {"numero": "880692310285"}).status_code == 200
    passport = get(client, TITLE_URL, secret, {"numero": "18AB12345", "type_titre": "passeport"})
    assert passport.json()["data"]["type_titre"] == "passeport"
    wrong_kind = get(client, TITLE_URL, secret, {"numero": "18AB12345", "type_titre": "cni"})
    assert wrong_kind.status_code == 404
    assert error(wrong_kind)["detail"] == "Aucun titre ne porte ce numéro."


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({}, "numero"),
        ({"numero": "ABC"}, "numero"),
        ({"numero": "X4RTBPFW4", "type_titre": "permis"}, "type_titre"),
    ],
)
def test_title_bad_parameters_00201(client, query, parameter):
    _, secret = issue(scopes=[Scope.IDENTITE_TITRE])
    response = get(client, TITLE_URL, secret, query)
    assert response.status_code == 422
    assert error(response)["code"] == "00201"
    assert error(response)["source"] == {"parameter": parameter}


def test_title_scope_00100(client):
    title()
    _, secret = issue(scopes=[Scope.IDENTITE_PREDEMANDE])
    response = get(client, TITLE_URL, secret, {"numero": "X4RTBPFW4"})
    assert (response.status_code, error(response)["code"]) == (403, "00100")


def test_pre_request_state_and_appointments(client):
    predemande = PreDemandeFactory()
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    appointment = Appointment.objects.create(
        reference="R1",
        management_token="t",
        external_meeting_point="Mairie de Lyon 1er",
        starts_at=starts,
    )
    AppointmentApplication.objects.create(appointment=appointment, predemande=predemande)
    _, secret = issue(scopes=[Scope.IDENTITE_PREDEMANDE])
    response = get(client, PRE_URL, secret, {"numero": predemande.number.lower()})
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["etat"] == "validated"
    assert data["libelle"] == "Validée (rendez-vous possible)"
    assert [a["lieu"] for a in data["rendez_vous"]] == ["Mairie de Lyon 1er"]
    assert dt.datetime.fromisoformat(data["rendez_vous"][0]["date"]) == starts
    body = response.content.decode()
    assert "MARTIN" not in body and "1990" not in body  # never the person


@pytest.mark.parametrize(
    ("traits", "state"),
    [
        ({"consumed": True}, "consumed"),
        ({"declared": True}, "declared"),
        ({"expired": True}, "expired"),
    ],
)
def test_pre_request_other_states(client, traits, state):
    predemande = PreDemandeFactory(**traits)
    _, secret = issue(scopes=[Scope.IDENTITE_PREDEMANDE])
    data = get(client, PRE_URL, secret, {"numero": predemande.number}).json()["data"]
    assert (data["etat"], data["rendez_vous"]) == (state, [])


def test_validated_but_past_its_date_is_expired(client):
    predemande = PreDemandeFactory(expires_at=timezone.now() - dt.timedelta(minutes=1))
    _, secret = issue(scopes=[Scope.IDENTITE_PREDEMANDE])
    assert (
        get(client, PRE_URL, secret, {"numero": predemande.number}).json()["data"]["etat"]
        == "expired"
    )


def test_pre_request_unknown_and_malformed(client):
    from titres.identite import numbers

    _, secret = issue(scopes=[Scope.IDENTITE_PREDEMANDE])
    unknown = get(client, PRE_URL, secret, {"numero": numbers.generate()})
    assert (unknown.status_code, error(unknown)["code"]) == (404, "00404")
    assert error(unknown)["detail"] == "Aucune pré-demande ne porte ce numéro."
    malformed = get(client, PRE_URL, secret, {"numero": "ABCDEFGHIJ"})
    assert (malformed.status_code, error(malformed)["source"]) == (422, {"parameter": "numero"})


def test_pre_request_scope_00100(client):
    _, secret = issue(scopes=[Scope.IDENTITE_TITRE])
    response = get(client, PRE_URL, secret, {"numero": "ABCDEFGHIJ"})
    assert (response.status_code, error(response)["code"]) == (403, "00100")
