import datetime as dt

import pytest
from freezegun import freeze_time

from tests.permis.factories import LicenceCategoryFactory, LicenceRecordFactory
from titres.core import ratelimit
from titres.partenaires import services, tokencache, tokens
from titres.partenaires.enums import PERMIS_SCOPES, Scope
from titres.partenaires.models import ApiToken, CallLog
from titres.permis.identifiers import make_neph

from .factories import RECIPIENT, PartnerFactory, issue
from .helpers import logged_calls

pytestmark = pytest.mark.django_db

URL = "/api/v1/permis-de-conduire"


@pytest.fixture(autouse=True)
def _fresh_limits():
    ratelimit.reset()
    yield
    ratelimit.reset()


@pytest.fixture
def record():
    record = LicenceRecordFactory(
        birth_name="Dupont",
        usage_name="Martin",
        first_names="Marie, Anne",
        birth_date=dt.date(1990, 4, 2),
        points_balance=9,
    )
    LicenceCategoryFactory(record=record, category="B", obtained_on=dt.date(2009, 6, 1))
    LicenceCategoryFactory(record=record, category="A2", obtained_on=dt.date(2012, 3, 4))
    return record


def params(record, **overrides):
    values = {
        "neph": record.neph,
        "nom": "DUPONT",
        "prenoms": "Marie,Anne",
        "date_naissance": "1990-04-02",
        "recipient": RECIPIENT,
        "context": "Aide à la mobilité",
        "object": "Dossier 2026-0042",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def call(client, secret, query, **headers):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    return client.get(URL, query, **auth, **headers)


def error(response):
    [item] = response.json()["errors"]
    return item


def test_happy_path_with_validity_and_categories(client, record):
    _, secret = issue()
    response = call(client, secret, params(record))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["data"] == {
        "etat": "valide",
        "etat_depuis": None,
        "fin_suspension": None,
        "categories": [
            {"categorie": "B", "obtenue_le": "2009-06-01", "valide_jusqu_au": None},
            {"categorie": "A2", "obtenue_le": "2012-03-04", "valide_jusqu_au": None},
        ],
    }
    # Never the points without their scope, and the meta says so.
    assert "solde_points" not in body["data"]
    assert body["meta"]["withheld"] == ["permis.points"]
    assert response["X-Request-ID"] == body["meta"]["request_id"]
    assert response["RateLimit-Limit"] == "20"
    assert response["RateLimit-Remaining"] == "19"
    assert int(response["RateLimit-Reset"]) >= 1


def test_usage_name_and_accents_match(client, record):
    _, secret = issue()
    response = call(client, secret, params(record, nom="martin", prenoms="Marie, Anne"))
    assert response.status_code == 200


def test_points_only_with_their_scope(client, record):
    _, secret = issue(scopes=[Scope.PERMIS_POINTS])
    body = call(client, secret, params(record)).json()
    assert body["data"] == {"solde_points": 9}
    assert body["meta"]["withheld"] == ["permis.categories", "permis.validite"]


def test_a_licence_call_reads_the_file_in_one_select_and_the_token_once(client, record):
    """Issue 20: the file with its categories in one SELECT; the token read
    from the database only where no shared Redis can tell whether a kept
    copy is current (tokencache.py); the answer as when they were three."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, secret = issue()
    assert call(client, secret, params(record)).status_code == 200  # writes last_used_at
    with CaptureQueriesContext(connection) as queries:
        response = call(client, secret, params(record))
    selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == (1 if tokencache.stamp() else 2), selects
    assert "permis_licencerecord" in selects[-1]
    assert [c["categorie"] for c in response.json()["data"]["categories"]] == ["B", "A2"]


def test_the_licence_answer_rendered_by_hand_is_the_schemas(client, record):
    """Call.respond skips django-ninja's second validation: the answer must
    still be exactly what the response schema gives, with every scope."""
    from titres.partenaires.endpoints.permis import LicenceResponse

    _, secret = issue(scopes=list(PERMIS_SCOPES))
    response = call(client, secret, params(record))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert LicenceResponse.model_validate(body).model_dump(mode="json", exclude_unset=True) == body
    assert set(body["data"]) == {
        "etat",
        "etat_depuis",
        "fin_suspension",
        "categories",
        "solde_points",
    }


def test_a_file_without_categories_is_answered_too(client):
    bare = LicenceRecordFactory(
        birth_name="Dupont", first_names="Marie, Anne", birth_date=dt.date(1990, 4, 2)
    )
    _, secret = issue()
    response = call(client, secret, params(bare))
    assert response.status_code == 200
    assert response.json()["data"]["categories"] == []


def test_categories_only(client, record):
    _, secret = issue(scopes=[Scope.PERMIS_CATEGORIES])
    data = call(client, secret, params(record)).json()["data"]
    assert set(data) == {"categories"}


@pytest.mark.parametrize(
    "overrides",
    [
        {"nom": "DURAND"},
        {"prenoms": "Marie"},
        {"date_naissance": "1990-04-03"},
        {"neph": make_neph(year=1990, departement="54", sequence=99999)},
    ],
)
def test_civil_status_must_match(client, record, overrides):
    _, secret = issue()
    response = call(client, secret, params(record, **overrides))
    assert response.status_code == 404
    assert error(response)["code"] == "00404"
    assert error(response)["detail"] == "Aucun permis ne correspond à ce NEPH et à cet état civil."


def test_missing_header_and_unknown_token_00101(client, record):
    for secret in (None, "nimportequoi", tokens.make_secret()[0]):
        response = call(client, secret, params(record))
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        item = error(response)
        assert item["code"] == "00101"
        assert item["title"] == "Jeton absent ou inconnu"


def test_a_token_of_the_right_shape_with_another_secret_is_unknown(client, record):
    token, secret = issue()
    forged = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert error(call(client, forged, params(record)))["code"] == "00101"


def test_expired_token_00103(client, record):
    token, secret = issue()
    with freeze_time(token.expires_at + dt.timedelta(seconds=1)):
        response = call(client, secret, params(record))
    assert response.status_code == 401
    assert error(response)["code"] == "00103"
    assert error(response)["title"] == "Jeton expiré"


def test_token_lasts_18_months(record):
    with freeze_time("2026-08-31 10:00:00+00:00"):
        token, _ = issue()
    assert token.expires_at == dt.datetime(2028, 2, 29, 10, 0, tzinfo=dt.UTC)


def test_revoked_token_00105(client, record):
    token, secret = issue()
    services.revoke_token(token=token, actor=None)
    response = call(client, secret, params(record))
    assert response.status_code == 401
    assert error(response)["code"] == "00105"


def test_renewal_keeps_the_scopes_and_the_old_one_until_revoked(client, record):
    token, secret = issue(scopes=[Scope.PERMIS_POINTS], ip_allowlist=["10.0.0.0/8"])
    renewed, new_secret = services.renew_token(token=token, actor=None)
    assert renewed.scopes == ["permis.points"]
    assert renewed.ip_allowlist == ["10.0.0.0/8"]
    assert renewed.renewed_from == token
    assert new_secret != secret and renewed.key_hash != token.key_hash


def test_token_is_stored_hashed(record):
    token, secret = issue()
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in str(stored.__dict__.values())
    assert stored.key_hash == tokens.digest(secret)
    assert secret.startswith(f"tit_{stored.key_id}_")


def test_scope_without_any_permis_field_00100(client, record):
    token, secret = issue(scopes=[Scope.PERMIS_VALIDITE])
    ApiToken.objects.filter(pk=token.pk).update(scopes=["vehicule.situation"])
    response = call(client, secret, params(record))
    assert response.status_code == 403
    assert error(response)["code"] == "00100"
    assert (
        error(response)["detail"] == "Ce jeton n’a accès à aucune donnée de cet appel (périmètre)."
    )


def test_ip_allow_list_00100(client, record):
    _, secret = issue(ip_allowlist=["192.0.2.0/24"])
    response = call(client, secret, params(record))  # the test client is 127.0.0.1
    assert response.status_code == 403
    assert error(response)["detail"] == "L’adresse IP 127.0.0.1 n’est pas autorisée pour ce jeton."
    _, allowed = issue(PartnerFactory(siret="21540395700008"), ip_allowlist=["127.0.0.0/8"])
    assert call(client, allowed, params(record)).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "detail"),
    [
        (
            {"recipient": None},
            "Le paramètre « recipient » (SIRET de l’organisme destinataire) est obligatoire.",
        ),
        (
            {"recipient": "12345678901234"},
            "Le paramètre « recipient » doit être un numéro SIRET valide (14 chiffres).",
        ),
    ],
)
def test_recipient_00203(client, record, overrides, detail):
    _, secret = issue()
    response = call(client, secret, params(record, **overrides))
    assert response.status_code == 422
    assert error(response)["code"] == "00203"
    assert error(response)["detail"] == detail
    assert error(response)["source"] == {"parameter": "recipient"}


@pytest.mark.parametrize(
    ("overrides", "parameter"),
    [
        ({"context": None}, "context"),
        ({"object": "x" * 201}, "object"),
        ({"neph": "123"}, "neph"),
        ({"nom": ""}, "nom"),
        ({"date_naissance": "02/04/1990"}, "date_naissance"),
    ],
)
def test_bad_parameters_00201(client, record, overrides, parameter):
    _, secret = issue()
    response = call(client, secret, params(record, **overrides))
    assert response.status_code == 422
    assert error(response)["code"] == "00201"
    assert error(response)["source"] == {"parameter": parameter}


def test_quota_is_20_calls_per_second_in_a_moving_window():
    from limits import parse

    from titres.partenaires import quota

    item = parse(quota.TOKEN_LIMIT)
    assert (item.amount, item.get_expiry()) == (20, 1)
    assert quota.TOKEN_LIMIT_AMOUNT == 20


def test_over_quota_00429(client, record, monkeypatch):
    from titres.partenaires import quota

    # The same 20 calls over a minute, so that a slow test machine cannot
    # spread them over two seconds.
    monkeypatch.setattr(quota, "TOKEN_LIMIT", "20/minute")
    _, secret = issue()
    answers = [call(client, secret, params(record)) for _ in range(21)]
    assert [a.status_code for a in answers[:20]] == [200] * 20
    assert answers[19]["RateLimit-Remaining"] == "0"
    assert answers[20].status_code == 429
    assert error(answers[20])["code"] == "00429"
    assert answers[20]["Retry-After"] == answers[20]["RateLimit-Reset"]
    assert int(answers[20]["Retry-After"]) >= 1


def test_request_id_is_echoed_when_well_formed(client, record):
    _, secret = issue()
    response = call(client, secret, params(record), HTTP_X_REQUEST_ID="appel-2026-0001")
    assert response["X-Request-ID"] == "appel-2026-0001"
    response = call(client, secret, params(record), HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 36


def test_call_log_keeps_a_keyed_hash_of_the_parameters(client, record):
    token, secret = issue()
    call(client, secret, params(record), HTTP_X_REQUEST_ID="appel-2026-0002")
    call(client, "inconnu", params(record))
    ok, refused = logged_calls().order_by("at", "pk")
    assert (ok.token, ok.status_code, ok.error_code, ok.path) == (token, 200, "", URL)
    assert ok.request_id == "appel-2026-0002" and ok.ip == "127.0.0.1"
    assert (refused.token, refused.status_code, refused.error_code) == (None, 401, "00101")
    logged = " ".join(str(v) for v in CallLog.objects.values_list())
    assert record.neph not in logged and "DUPONT" not in logged and "1990" not in logged
    assert ok.params_hash == refused.params_hash  # same parameters, same hash
    assert len(ok.params_hash) == 64
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_unknown_path_is_a_json_404(client):
    response = client.get("/api/v1/nexiste-pas")
    assert response.status_code == 404
    assert error(response)["code"] == "00404"


def test_openapi_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/v1/permis-de-conduire"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "neph",
        "recipient",
        "context",
        "object",
    }
    assert schema["components"]["securitySchemes"]["PartnerBearer"]["scheme"] == "bearer"
