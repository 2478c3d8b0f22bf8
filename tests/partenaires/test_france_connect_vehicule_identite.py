"""FranceConnect-backed vehicle and ID calls: the citizen's FranceConnect
access token (X-FranceConnect-OAuth, checked against the local provider's
userinfo over real HTTP) replaces the plate or the number, and the answer
holds that citizen's own vehicles, titles and pré-demandes only."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.identite.factories import PreDemandeFactory
from tests.procedures.factories import DemarcheFactory
from tests.vehicules.factories import HolderFactory, VehicleFactory
from titres.identite.enums import TitleKind
from titres.identite.models import IssuedTitle
from titres.partenaires import quota
from titres.partenaires.enums import Scope
from titres.vehicules.enums import HolderRole

from .factories import issue
from .fc import fc_get, fc_token
from .helpers import error

pytestmark = pytest.mark.django_db(transaction=True)

VEHICLE_URL = "/api/v1/vehicule/france_connect"
TITLE_URL = "/api/v1/titre-identite/france_connect"
PRE_URL = "/api/v1/pre-demande/france_connect"
ANGELA = {"first_names": "Angela, Claire, Louise", "birth_date": dt.date(1962, 8, 24)}
VEHICLE_SCOPES = [
    Scope.VEHICULE_IMMATRICULATION,
    Scope.VEHICULE_SITUATION,
    Scope.VEHICULE_TITULAIRE,
]


@pytest.fixture
def angela_vehicles():
    own = VehicleFactory(plate="FG123HJ", holder=False, gage=True)
    HolderFactory(vehicle=own, last_name="DUBOIS", **ANGELA)
    # Cotitulaire under her usage name: hers too.
    shared = VehicleFactory(plate="AB123CD", holder=False)
    HolderFactory(vehicle=shared, last_name="MARTIN")
    HolderFactory(
        vehicle=shared,
        role=HolderRole.COTITULAIRE,
        last_name="LEGRAND",
        usage_name="Dubois",
        **ANGELA,
    )
    # Sold (no longer hers), and a namesake born another day: never answered.
    sold = VehicleFactory(plate="GH456JK", holder=False)
    HolderFactory(vehicle=sold, last_name="DUBOIS", until=dt.date(2024, 1, 1), **ANGELA)
    HolderFactory(vehicle=sold, last_name="PETIT", since=dt.date(2024, 1, 1))
    namesake = VehicleFactory(plate="KL789MN", holder=False)
    HolderFactory(
        vehicle=namesake,
        last_name="DUBOIS",
        first_names=ANGELA["first_names"],
        birth_date=dt.date(1970, 1, 1),
    )
    return own, shared


def test_the_citizens_own_vehicles(client, provider, angela_vehicles):
    _, secret = issue(scopes=VEHICLE_SCOPES)
    response = fc_get(client, VEHICLE_URL, secret, fc_token())
    assert response.status_code == 200, response.json()
    vehicles = response.json()["data"]["vehicules"]
    assert [(v["immatriculation"]["immatriculation"], v["qualite"]) for v in vehicles] == [
        ("AB-123-CD", "cotitulaire"),
        ("FG-123-HJ", "titulaire"),
    ]
    assert vehicles[1]["situation"]["gage"] == {"inscrit": True, "depuis": "2019-06-12"}
    # Never the numéro de formule, nor another holder's data.
    body = response.content.decode()
    assert angela_vehicles[0].formule_number not in body
    assert "MARTIN" not in body and "Nancy" not in body
    assert response.json()["meta"]["withheld"] == []


def test_vehicle_fields_outside_the_scope_are_withheld(client, provider, angela_vehicles):
    _, secret = issue(scopes=[Scope.VEHICULE_SITUATION])
    response = fc_get(client, VEHICLE_URL, secret, fc_token())
    assert response.status_code == 200, response.json()
    vehicles = response.json()["data"]["vehicules"]
    assert len(vehicles) == 2
    assert all(set(v) == {"situation"} for v in vehicles)
    assert response.json()["meta"]["withheld"] == [
        "vehicule.immatriculation",
        "vehicule.titulaire",
    ]


def test_a_citizen_without_vehicle_is_404(client, provider, angela_vehicles):
    _, secret = issue(scopes=VEHICLE_SCOPES)
    response = fc_get(client, VEHICLE_URL, secret, fc_token("pierre-mercier"))
    assert (response.status_code, error(response)["code"]) == (404, "00404")
    assert error(response)["detail"] == "Aucun véhicule au nom de cet usager."


@pytest.fixture
def angela_titles():
    today = timezone.localdate()
    demarche = DemarcheFactory()
    PreDemandeFactory(demarche=demarche, last_name="Dubois", **ANGELA)
    mine = IssuedTitle.objects.create(
        number="X4RTBPFW4",
        kind=TitleKind.CNI,
        issued_on=today - dt.timedelta(days=400),
        expires_on=today + dt.timedelta(days=3000),
        declared_lost_on=today - dt.timedelta(days=3),
        demarche=demarche,
    )
    # A namesake's title (another birth date), and one of no démarche.
    other = DemarcheFactory()
    PreDemandeFactory(demarche=other, last_name="DUBOIS", first_names=ANGELA["first_names"])
    IssuedTitle.objects.create(
        number="Y7KQ2MZC8",
        kind=TitleKind.PASSEPORT,
        issued_on=today,
        expires_on=today + dt.timedelta(days=3000),
        demarche=other,
    )
    IssuedTitle.objects.create(
        number="18AB12345", kind=TitleKind.PASSEPORT, issued_on=today, expires_on=today
    )
    return mine


def test_the_citizens_own_titles(client, provider, angela_titles):
    _, secret = issue(scopes=[Scope.IDENTITE_TITRE])
    response = fc_get(client, TITLE_URL, secret, fc_token())
    assert response.status_code == 200, response.json()
    assert response.json()["data"] == {
        "titres": [
            {
                "numero": "X4RTBPFW4",
                "type_titre": "cni",
                "etat": "declare_perdu",
                "delivre_le": angela_titles.issued_on.isoformat(),
                "valable_jusqu_au": angela_titles.expires_on.isoformat(),
            }
        ]
    }
    assert response.json()["meta"]["withheld"] == []


def test_a_citizen_without_title_is_404(client, provider, angela_titles):
    _, secret = issue(scopes=[Scope.IDENTITE_TITRE])
    response = fc_get(client, TITLE_URL, secret, fc_token("pierre-mercier"))
    assert (response.status_code, error(response)["code"]) == (404, "00404")
    assert error(response)["detail"] == "Aucun titre d’identité au nom de cet usager."


def test_the_citizens_own_predemandes(client, provider, angela_titles):
    mine = PreDemandeFactory(last_name="dubois", consumed=True, **ANGELA)
    _, secret = issue(scopes=[Scope.IDENTITE_PREDEMANDE])
    response = fc_get(client, PRE_URL, secret, fc_token())
    assert response.status_code == 200, response.json()
    found = response.json()["data"]["pre_demandes"]
    assert len(found) == 2  # the fixture's (validated) and this one, never the namesake's
    by_number = {p["numero"]: p for p in found}
    assert by_number[mine.number] == {
        "numero": mine.number,
        "type_titre": "passeport",
        "etat": "consumed",
        "libelle": "Dossier recueilli en mairie",
        "rendez_vous": [],
    }


def test_a_citizen_without_predemande_is_404(client, provider, angela_titles):
    _, secret = issue(scopes=[Scope.IDENTITE_PREDEMANDE])
    response = fc_get(client, PRE_URL, secret, fc_token("pierre-mercier"))
    assert (response.status_code, error(response)["code"]) == (404, "00404")
    assert error(response)["detail"] == "Aucune pré-demande au nom de cet usager."


@pytest.mark.parametrize(
    ("url", "scope"),
    [
        (VEHICLE_URL, Scope.PERMIS_VALIDITE),
        (TITLE_URL, Scope.IDENTITE_PREDEMANDE),
        (PRE_URL, Scope.IDENTITE_TITRE),
    ],
)
def test_partner_scope_checked_before_franceconnect_00100(client, provider, url, scope):
    _, secret = issue(scopes=[scope])
    response = fc_get(client, url, secret, fc_token())
    assert (response.status_code, error(response)["code"]) == (403, "00100")
    assert (
        error(response)["detail"] == "Ce jeton n’a accès à aucune donnée de cet appel (périmètre)."
    )


ALL_SCOPES = [*VEHICLE_SCOPES, Scope.IDENTITE_TITRE, Scope.IDENTITE_PREDEMANDE]


@pytest.mark.parametrize("url", [VEHICLE_URL, TITLE_URL, PRE_URL])
@pytest.mark.parametrize(
    ("fc", "detail"),
    [
        (
            None,
            "L’en-tête « X-FranceConnect-OAuth » (jeton d’accès FranceConnect de l’usager) est "
            "absent ou mal formé.",
        ),
        (
            "jeton-inconnu-du-fournisseur",
            "Le jeton FranceConnect est invalide ou expiré : l’usager doit se connecter de "
            "nouveau avec FranceConnect.",
        ),
    ],
)
def test_bad_franceconnect_token_00106(client, provider, url, fc, detail):
    _, secret = issue(scopes=ALL_SCOPES)
    response = fc_get(client, url, secret, fc)
    assert response.status_code == 401
    item = error(response)
    assert (item["code"], item["title"]) == (
        "00106",
        "Jeton FranceConnect absent, invalide ou expiré",
    )
    assert item["detail"] == detail
    assert item["source"] == {"header": "X-FranceConnect-OAuth"}


@pytest.mark.parametrize("url", [VEHICLE_URL, TITLE_URL, PRE_URL])
def test_token_without_the_pivot_identity_00100(client, provider, url):
    _, secret = issue(scopes=ALL_SCOPES)
    response = fc_get(client, url, secret, fc_token(scope="openid email"))
    assert (response.status_code, error(response)["code"]) == (403, "00100")
    assert "identite_pivot" in error(response)["detail"]


@pytest.mark.parametrize("url", [VEHICLE_URL, TITLE_URL, PRE_URL])
def test_bad_recipient_00203_before_franceconnect(client, provider, url):
    _, secret = issue(scopes=ALL_SCOPES)
    response = client.get(
        url,
        {"recipient": "123", "context": "Contrôle", "object": "Dossier 1"},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_X_FRANCECONNECT_OAUTH=fc_token(),
    )
    assert (response.status_code, error(response)["code"]) == (422, "00203")
    assert error(response)["detail"] == (
        "Le paramètre « recipient » doit être un numéro SIRET valide (14 chiffres)."
    )


def test_franceconnect_calls_count_in_the_tokens_quota(
    client, provider, angela_vehicles, monkeypatch
):
    """One quota per token, whichever endpoint (plain or FranceConnect) it calls."""
    monkeypatch.setattr(quota, "TOKEN_LIMIT", "3/minute")
    monkeypatch.setattr(quota, "TOKEN_LIMIT_AMOUNT", 3)
    _, secret = issue(scopes=ALL_SCOPES)
    fc = fc_token()
    codes = [fc_get(client, url, secret, fc).status_code for url in (VEHICLE_URL, PRE_URL)]
    codes.append(fc_get(client, "/api/v1/vehicule", secret).status_code)  # plain: 422
    over = fc_get(client, VEHICLE_URL, secret, fc)
    assert codes == [200, 404, 422]
    assert (over.status_code, error(over)["code"]) == (429, "00429")
    assert over["Retry-After"]


@pytest.mark.parametrize("url", [VEHICLE_URL, TITLE_URL, PRE_URL])
def test_documented_in_the_contract(client, url):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"][url]["get"]
    headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    assert "X-FranceConnect-OAuth" in headers
    assert {"200", "401", "403", "404", "422", "429", "502"} <= set(operation["responses"])
