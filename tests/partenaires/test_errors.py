"""The errors of the issue's list not covered with an endpoint: 409 for the
same request in progress, the JSON format everywhere, the self-hosted
Swagger UI."""

import re

import pytest
from django.core.cache import cache
from django.db import connection

from tests.permis.factories import LicenceRecordFactory
from titres.partenaires import inflight, tokens
from titres.partenaires.enums import Scope

from .factories import issue
from .helpers import TRACE, error, get, logged_calls

pytestmark = pytest.mark.django_db

URL = "/api/v1/titre-identite"


def _in_flight_key(token, query):
    from urllib.parse import urlencode

    canonical = urlencode(sorted({**TRACE, **query}.items()), doseq=True)
    return inflight._key(token, URL, tokens.params_digest(canonical))


def test_same_request_in_progress_is_a_409_00015(client):
    token, secret = issue(scopes=[Scope.IDENTITE_TITRE])
    query = {"numero": "X4RTBPFW4"}
    cache.set(_in_flight_key(token, query), "autre-appel", 30)  # the first call, still running
    response = get(client, URL, secret, query)
    assert response.status_code == 409
    item = error(response)
    assert (item["code"], item["title"]) == ("00015", "Requête identique déjà en cours")
    assert response["Retry-After"] == "1"
    # Another request of the same token is not held up.
    assert get(client, URL, secret, {"numero": "Y7KQ2MZC8"}).status_code == 404


def test_the_marker_goes_with_the_answer(client):
    token, secret = issue(scopes=[Scope.IDENTITE_TITRE])
    query = {"numero": "X4RTBPFW4"}
    assert get(client, URL, secret, query).status_code == 404
    assert cache.get(_in_flight_key(token, query)) is None
    assert get(client, URL, secret, query).status_code == 404  # not 409


def test_an_error_inside_the_endpoint_releases_it_too(client, monkeypatch):
    from titres.partenaires.endpoints import identite

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(identite.selectors, "issued_title", broken)
    token, secret = issue(scopes=[Scope.IDENTITE_TITRE])
    response = get(client, URL, secret, {"numero": "X4RTBPFW4"})
    assert response.status_code == 502
    assert error(response)["code"] == "00500"
    assert response["Content-Type"] == "application/json"
    assert cache.get(_in_flight_key(token, {"numero": "X4RTBPFW4"})) is None


def test_swagger_ui_is_served_from_this_site(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page)
    styles = re.findall(r'<link[^>]+href="([^"]+)"', page)
    assert scripts and all(src.startswith("/static/ninja/") for src in scripts)
    assert all(href.startswith("/static/") for href in styles)
    assert "cdn" not in page.lower()
    assert "/api/v1/openapi.json" in page


def test_docs_and_contract_are_not_partner_calls(client):
    client.get("/api/v1/docs")
    client.get("/api/v1/openapi.json")
    assert not logged_calls().exists()


def test_wrong_method_is_a_json_405(client):
    response = client.post("/api/v1/permis-de-conduire")
    assert response.status_code == 405
    assert error(response)["code"] == "00405"
    assert error(response)["detail"] == "La méthode POST n’est pas acceptée ici : utilisez GET."
    assert response["Allow"] == "GET"


def test_every_error_is_json_never_html(client):
    LicenceRecordFactory()
    _, secret = issue()
    for response in (
        client.get("/api/v1/permis-de-conduire"),
        client.post("/api/v1/permis-de-conduire"),
        get(client, "/api/v1/permis-de-conduire", secret, {"neph": "1"}),
        client.get("/api/v2/rien"),
    ):
        assert response["Content-Type"] == "application/json", response.content
        assert set(response.json()) == {"errors"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout de PostgreSQL")
def test_a_registry_query_over_the_time_limit_is_a_504(monkeypatch):
    from titres.partenaires import errors as api_errors
    from titres.partenaires.endpoints import common

    def slow():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")

    monkeypatch.setattr(common, "REGISTRY_TIMEOUT_MS", 100)
    call = common.Call(request=None, scopes=(), granted=set())
    with pytest.raises(api_errors.ApiError) as raised:
        call.lookup(slow)
    assert raised.value.status == 504
    assert raised.value.code == "00504"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout de PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_one_statement_read_carries_its_time_limit_in_one_exchange(monkeypatch):
    """Issue 20: outside a transaction, the licence read sends SET LOCAL and
    its SELECT in one query string (no BEGIN/COMMIT); the limit still cuts
    it (504) and ends with it."""
    from django.test.utils import CaptureQueriesContext

    from titres.partenaires import errors as api_errors
    from titres.partenaires.endpoints import common
    from titres.permis import selectors

    record = LicenceRecordFactory()
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        default = cursor.fetchone()[0]
    call = common.Call(request=None, scopes=(), granted=set())
    identity = {
        "neph": record.neph,
        "birth_name": record.birth_name,
        "first_names": record.first_names,
        "birth_date": record.birth_date,
    }
    with CaptureQueriesContext(connection) as queries:
        found = call.lookup(selectors.record_for_partner, **identity, one_statement=True)
    assert found is not None and found[0].state == record.state
    assert len(queries) == 1
    assert queries[0]["sql"].startswith("SET LOCAL statement_timeout = 3000; SELECT ")

    monkeypatch.setattr(common, "REGISTRY_TIMEOUT_MS", 100)
    monkeypatch.setattr(
        selectors, "_partner_sql", lambda vendor: "SELECT pg_sleep(2) WHERE %s IS NOT NULL"
    )
    with pytest.raises(api_errors.ApiError) as raised:
        call.lookup(selectors.record_for_partner, **identity, one_statement=True)
    assert (raised.value.status, raised.value.code) == (504, "00504")
    with connection.cursor() as cursor:  # the limit went with its statement
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == default
