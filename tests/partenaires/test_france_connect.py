"""FranceConnect-backed call: the citizen's FranceConnect access token
(X-FranceConnect-OAuth) replaces the search keys; the portal checks it
against the local identity provider's userinfo (titres.devidp, served by
the live server over real HTTP) and answers with that citizen's licence."""

import datetime as dt

import pytest

from tests.permis.factories import LicenceCategoryFactory, LicenceRecordFactory
from titres.core import ratelimit
from titres.partenaires.enums import Scope

from .factories import issue
from .fc import fc_get, fc_token
from .helpers import error

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/permis-de-conduire/france_connect"


@pytest.fixture
def angela_licence():
    record = LicenceRecordFactory(
        birth_name="Dubois",
        first_names="Angela, Claire, Louise",
        birth_date=dt.date(1962, 8, 24),
        points_balance=8,
    )
    LicenceCategoryFactory(record=record, category="B", obtained_on=dt.date(1981, 5, 2))
    # Another person of the same name, born another day: never answered.
    LicenceRecordFactory(
        birth_name="Dubois", first_names="Angela, Claire, Louise", birth_date=dt.date(1970, 1, 1)
    )
    return record


def call(client, secret, fc=None):
    return fc_get(client, URL, secret, fc)


def test_the_citizens_own_licence(client, provider, angela_licence):
    _, secret = issue(scopes=[Scope.PERMIS_VALIDITE, Scope.PERMIS_CATEGORIES])
    response = call(client, secret, fc_token())
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["data"]["etat"] == angela_licence.state
    assert body["data"]["categories"] == [
        {"categorie": "B", "obtenue_le": "1981-05-02", "valide_jusqu_au": None}
    ]
    assert "solde_points" not in body["data"]  # outside the token's scopes
    assert body["meta"]["withheld"] == ["permis.points"]


def test_a_citizen_without_licence_is_404(client, provider, angela_licence):
    _, secret = issue()
    response = call(client, secret, fc_token("pierre-mercier"))
    assert (response.status_code, error(response)["code"]) == (404, "00404")
    assert error(response)["detail"] == "Aucun permis au nom de cet usager."


@pytest.mark.parametrize(
    ("fc", "detail"),
    [
        (
            None,
            "L’en-tête « X-FranceConnect-OAuth » (jeton d’accès FranceConnect de l’usager) est "
            "absent ou mal formé.",
        ),
        (
            "x" * 3000,
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
def test_bad_franceconnect_token_00106(client, provider, angela_licence, fc, detail):
    _, secret = issue()
    response = call(client, secret, fc)
    assert response.status_code == 401
    item = error(response)
    assert item["code"] == "00106"
    assert item["title"] == "Jeton FranceConnect absent, invalide ou expiré"
    assert item["detail"] == detail
    assert item["source"] == {"header": "X-FranceConnect-OAuth"}


def test_expired_franceconnect_token_00106(client, provider, angela_licence):
    _, secret = issue()
    response = call(client, secret, fc_token(lifetime=-5))
    assert (response.status_code, error(response)["code"]) == (401, "00106")


def test_token_without_the_pivot_identity_00100(client, provider, angela_licence):
    _, secret = issue()
    response = call(client, secret, fc_token(scope="openid email"))
    assert (response.status_code, error(response)["code"]) == (403, "00100")
    assert "identite_pivot" in error(response)["detail"]


def test_partner_scope_checked_before_franceconnect_00100(client, provider, angela_licence):
    _, secret = issue(scopes=[Scope.VEHICULE_SITUATION])
    response = call(client, secret, fc_token())
    assert (response.status_code, error(response)["code"]) == (403, "00100")


def test_provider_down_502_00503(client, settings, angela_licence):
    settings.FRANCECONNECT_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    ratelimit.reset()
    _, secret = issue()
    response = call(client, secret, "un-jeton-quelconque")
    assert (response.status_code, error(response)["code"]) == (502, "00503")
    assert error(response)["meta"] == {"retry_in": 5}
    assert response["Retry-After"] == "5"


def test_documented_in_the_contract(client):
    spec = client.get("/api/v1/openapi.json").json()
    parameters = spec["paths"][URL]["get"]["parameters"]
    assert "X-FranceConnect-OAuth" in {p["name"] for p in parameters if p["in"] == "header"}
