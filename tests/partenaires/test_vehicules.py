import datetime as dt

import pytest
from django.db import OperationalError

from tests.vehicules.factories import HolderFactory, VehicleFactory
from titres.partenaires.endpoints import vehicules as endpoint
from titres.partenaires.enums import Scope
from titres.vehicules.enums import HolderRole, PersonKind, SituationKind
from titres.vehicules.models import Situation

from .factories import issue
from .helpers import error, get, logged_calls

pytestmark = pytest.mark.django_db

URL = "/api/v1/vehicule"
ALL = [Scope.VEHICULE_IMMATRICULATION, Scope.VEHICULE_SITUATION, Scope.VEHICULE_TITULAIRE]
JEANNE = {"nom": "Moreau", "prenoms": "Jeanne", "date_naissance": "1970-02-01"}


@pytest.fixture
def vehicle():
    return VehicleFactory(plate="FG123HJ", gage=True)


def test_extract_situation_and_holder_match(client, vehicle):
    _, secret = issue(scopes=ALL)
    response = get(client, URL, secret, {"immatriculation": "fg-123-hj", **JEANNE})
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["immatriculation"]["immatriculation"] == "FG-123-HJ"
    assert data["immatriculation"]["marque"] == "RENAULT"
    assert data["immatriculation"]["date_certificat"] == "2019-06-12"
    # The numéro de formule proves who holds the card: never given out.
    assert vehicle.formule_number not in response.content.decode()
    assert data["situation"]["gage"] == {"inscrit": True, "depuis": "2019-06-12"}
    assert data["situation"]["vol"] == {"inscrit": False, "depuis": None}
    assert set(data["situation"]) == {
        "immatriculation_annulee",
        "gage",
        "opposition",
        "vol",
        "ve",
        "vge",
        "suspension",
    }
    assert data["immatriculation"]["etat"] == "valide"
    assert "date_annulation" not in data["immatriculation"]
    assert data["situation"]["immatriculation_annulee"] == {"inscrit": False, "depuis": None}
    assert data["titulaire"] == {
        "scores": {"nom": 1.0, "prenoms": 1.0, "date_naissance": 1.0},
        "score_global": 1.0,
        "concordance": "totale",
    }
    assert response.json()["meta"]["withheld"] == []
    # Never the holder's data, whatever the scopes.
    body = response.content.decode()
    assert "MOREAU" not in body and "Nancy" not in body and "Saint-Dizier" not in body


def test_fni_plate_and_every_situation(client):
    vehicle = VehicleFactory(fni=True, opposition=True, vol=True, vge=True)
    Situation.objects.create(
        vehicle=vehicle, kind=SituationKind.VE, registered_on=dt.date(2020, 1, 2)
    )
    Situation.objects.create(
        vehicle=vehicle,
        kind=SituationKind.GAGE,
        registered_on=dt.date(2018, 1, 2),
        lifted_on=dt.date(2019, 1, 2),
    )
    _, secret = issue(scopes=[Scope.VEHICULE_SITUATION])
    response = get(client, URL, secret, {"immatriculation": vehicle.plate_display})
    situation = response.json()["data"]["situation"]
    assert {k for k, v in situation.items() if v["inscrit"]} == {"opposition", "vol", "vge", "ve"}
    assert situation["gage"]["inscrit"] is False  # lifted


def test_an_annulled_registration_says_so_in_the_extract_and_the_situation(client):
    """A dealer's new vehicle rejected or abandoned (services/reverts.
    cancel_first_registration): the plate is found — a control must learn
    the number is no valid registration — with `etat` "annulee" and the
    annulment's date, and the situation's `immatriculation_annulee`."""
    vehicle = VehicleFactory(plate="GH234JK")
    Situation.objects.create(
        vehicle=vehicle,
        kind=SituationKind.ANNULEE,
        registered_on=dt.date(2026, 11, 30),
        detail="Demande X rejetée",
    )
    _, secret = issue(scopes=ALL)
    response = get(client, URL, secret, {"immatriculation": "GH-234-JK", **JEANNE})
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["immatriculation"]["etat"] == "annulee"
    assert data["immatriculation"]["date_annulation"] == "2026-11-30"
    assert data["situation"]["immatriculation_annulee"] == {
        "inscrit": True,
        "depuis": "2026-11-30",
    }
    assert "Demande X" not in response.content.decode()  # the file's number stays internal


def test_the_schema_names_the_registration_state(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    registration = schema["Registration"]
    assert "etat" in registration["required"]
    assert registration["properties"]["etat"]["enum"] == ["valide", "annulee"]
    assert "immatriculation_annulee" in schema["Situation"]["required"]


@pytest.mark.parametrize(
    ("scopes", "keys", "withheld"),
    [
        (
            [Scope.VEHICULE_IMMATRICULATION],
            {"immatriculation"},
            ["vehicule.situation", "vehicule.titulaire"],
        ),
        (
            [Scope.VEHICULE_SITUATION],
            {"situation"},
            ["vehicule.immatriculation", "vehicule.titulaire"],
        ),
        (
            [Scope.VEHICULE_TITULAIRE],
            {"titulaire"},
            ["vehicule.immatriculation", "vehicule.situation"],
        ),
    ],
)
def test_each_scope_returns_its_group_only(client, vehicle, scopes, keys, withheld):
    _, secret = issue(scopes=scopes)
    body = get(client, URL, secret, {"immatriculation": "FG-123-HJ", **JEANNE}).json()
    assert set(body["data"]) == keys
    assert body["meta"]["withheld"] == withheld


def test_no_holder_block_without_a_name_to_compare(client, vehicle):
    _, secret = issue(scopes=ALL)
    data = get(client, URL, secret, {"immatriculation": "FG-123-HJ"}).json()["data"]
    assert "titulaire" not in data


@pytest.mark.parametrize(
    ("given", "scores", "overall", "concordance"),
    [
        # Usage name, accents and case do not matter; later first names may be left out.
        (
            {"nom": "dupont-lévy", "prenoms": "Jeanne", "date_naissance": "1970-02-01"},
            {"nom": 1.0, "prenoms": 1.0, "date_naissance": 1.0},
            1.0,
            "totale",
        ),
        # A typo in the name, day and month swapped.
        (
            {"nom": "MOREAUX", "prenoms": "Jeanne,Marie", "date_naissance": "1970-01-02"},
            {"nom": 0.92, "prenoms": 1.0, "date_naissance": 0.5},
            0.81,
            "partielle",
        ),
        (
            {"nom": "DURAND", "prenoms": "Paul", "date_naissance": "1980-05-06"},
            {"nom": 0.35, "prenoms": 0.12, "date_naissance": 0.0},
            0.16,
            "aucune",
        ),
        ({"nom": "Moreau"}, {"nom": 1.0}, 1.0, "totale"),
    ],
)
def test_holder_scores(client, given, scores, overall, concordance):
    vehicle = VehicleFactory(plate="GH234JK", holder=False)
    HolderFactory(vehicle=vehicle, usage_name="DUPONT LEVY", first_names="Jeanne, Marie")
    _, secret = issue(scopes=[Scope.VEHICULE_TITULAIRE])
    match = get(client, URL, secret, {"immatriculation": "GH-234-JK", **given}).json()["data"]
    assert match["titulaire"] == {
        "scores": scores,
        "score_global": overall,
        "concordance": concordance,
    }


def test_cotitulaire_matches_and_company_by_siret(client):
    vehicle = VehicleFactory(plate="HJ345KL", holder=False)
    HolderFactory(
        vehicle=vehicle,
        person_kind=PersonKind.MORALE,
        company_name="TRANSPORTS DURAND",
        siret="13002526500013",
        last_name="",
        first_names="",
        birth_date=None,
    )
    HolderFactory(vehicle=vehicle, role=HolderRole.COTITULAIRE, last_name="ROUX")
    _, secret = issue(scopes=[Scope.VEHICULE_TITULAIRE])
    by_siret = get(client, URL, secret, {"immatriculation": "HJ-345-KL", "siret": "13002526500013"})
    assert by_siret.json()["data"]["titulaire"]["scores"] == {"siret": 1.0}
    cotitulaire = get(client, URL, secret, {"immatriculation": "HJ-345-KL", "nom": "Roux"})
    assert cotitulaire.json()["data"]["titulaire"]["concordance"] == "totale"


def test_former_holder_does_not_match(client):
    vehicle = VehicleFactory(plate="JK456LM", holder=False)
    HolderFactory(vehicle=vehicle, last_name="ANCIEN", until=dt.date(2022, 1, 1))
    HolderFactory(vehicle=vehicle, last_name="NOUVEAU", since=dt.date(2022, 1, 1))
    _, secret = issue(scopes=[Scope.VEHICULE_TITULAIRE])
    match = get(client, URL, secret, {"immatriculation": "JK-456-LM", "nom": "Ancien"}).json()
    assert match["data"]["titulaire"]["concordance"] == "aucune"


def test_unknown_plate_404(client):
    _, secret = issue(scopes=ALL)
    response = get(client, URL, secret, {"immatriculation": "AB-123-CD"})
    assert response.status_code == 404
    assert error(response)["code"] == "00404"
    assert error(response)["detail"] == "Aucun véhicule n’est immatriculé sous le numéro AB-123-CD."


@pytest.mark.parametrize(
    ("query", "parameter", "detail"),
    [
        (
            {},
            "immatriculation",
            "Le paramètre « immatriculation » est obligatoire (200 caractères au plus).",
        ),
        ({"immatriculation": "AB-000-CD"}, "immatriculation", None),
        (
            {"immatriculation": "FG-123-HJ", "date_naissance": "01/02/1970"},
            "date_naissance",
            "Le paramètre « date_naissance » doit être une date AAAA-MM-JJ.",
        ),
        (
            {"immatriculation": "FG-123-HJ", "nom": "x" * 201},
            "nom",
            "Le paramètre « nom » dépasse 200 caractères.",
        ),
    ],
)
def test_bad_parameters_00201(client, vehicle, query, parameter, detail):
    _, secret = issue(scopes=ALL)
    response = get(client, URL, secret, query)
    assert response.status_code == 422
    assert error(response)["code"] == "00201"
    assert error(response)["source"] == {"parameter": parameter}
    if detail:
        assert error(response)["detail"] == detail


def test_a_licence_token_cannot_read_vehicles_00100(client, vehicle):
    _, secret = issue(scopes=[Scope.PERMIS_VALIDITE])
    response = get(client, URL, secret, {"immatriculation": "FG-123-HJ"})
    assert response.status_code == 403
    assert error(response)["code"] == "00100"
    assert error(response)["meta"]["scopes_required_any"] == [
        "vehicule.immatriculation",
        "vehicule.situation",
        "vehicule.titulaire",
    ]


def test_recipient_is_required_00203(client, vehicle):
    _, secret = issue(scopes=ALL)
    response = get(client, URL, secret, {"immatriculation": "FG-123-HJ", "recipient": None})
    assert (response.status_code, error(response)["code"]) == (422, "00203")


def test_calls_are_quota_counted_and_logged(client, vehicle):
    token, secret = issue(scopes=ALL)
    first = get(client, URL, secret, {"immatriculation": "FG-123-HJ", **JEANNE})
    second = get(client, URL, secret, {"immatriculation": "FG-123-HJ", **JEANNE})
    assert (first["RateLimit-Remaining"], second["RateLimit-Remaining"]) == ("19", "18")
    logs = list(logged_calls().filter(token=token).order_by("pk"))
    assert [(log.path, log.status_code) for log in logs] == [(URL, 200), (URL, 200)]
    logged = " ".join(str(v) for v in logged_calls().values_list())
    assert "FG123HJ" not in logged and "FG-123-HJ" not in logged and "Moreau" not in logged


def test_registry_failure_is_a_502_and_a_timeout_a_504(client, vehicle, monkeypatch):
    _, secret = issue(scopes=ALL)

    def broken(plate):
        raise OperationalError("connection refused")

    monkeypatch.setattr(endpoint, "_find", broken)
    response = get(client, URL, secret, {"immatriculation": "FG-123-HJ"})
    assert response.status_code == 502
    assert error(response)["code"] == "00502"
    assert error(response)["meta"] == {"retry_in": 5}
    assert response["Retry-After"] == "5"

    def slow(plate):
        raise TimeoutError

    monkeypatch.setattr(endpoint, "_find", slow)
    response = get(client, URL, secret, {"immatriculation": "FG-123-HJ"})
    assert response.status_code == 504
    assert error(response)["code"] == "00504"
    assert error(response)["meta"] == {"retry_in": 5}
