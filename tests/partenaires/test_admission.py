"""The quotas and the in-flight marker settled in one Redis round trip
before the endpoint, the marker removed with the call log row after
(admission.py, calllog.record): two round trips per call, the same
counters as core.ratelimit, the same refusals in the same order, and the
one-by-one path when the script fails."""

import datetime as dt
import os
from urllib.parse import urlencode

import pytest
import redis
from redis.connection import Connection

from tests.permis.factories import LicenceRecordFactory
from titres.core import ratelimit
from titres.partenaires import admission, calllog, inflight, quota, services, tokens
from titres.partenaires.enums import Scope
from titres.partenaires.models import ApiToken

from .factories import issue
from .helpers import TRACE, error, get

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not REDIS_URL.startswith("redis://"), reason="REDIS_URL (redis://…) requis pour ce test"
    ),
]
URL = "/api/v1/permis-de-conduire"


@pytest.fixture
def record():
    return LicenceRecordFactory(
        birth_name="Dupont", first_names="Marie", birth_date=dt.date(1990, 4, 2)
    )


def licence_call(client, secret, record, **headers):
    query = {"neph": record.neph, "nom": "DUPONT", "prenoms": "Marie"}
    return get(client, URL, secret, {**query, "date_naissance": "1990-04-02"}, **headers)


def _marker(token, record):
    query = {
        **TRACE,
        "neph": record.neph,
        "nom": "DUPONT",
        "prenoms": "Marie",
        "date_naissance": "1990-04-02",
    }
    canonical = urlencode(sorted(query.items()), doseq=True)
    return inflight._key(token, URL, tokens.params_digest(canonical))


@pytest.fixture
def round_trips(monkeypatch):
    """Commands (or pipelines) sent to Redis, by every client."""
    sent = []
    original = Connection.send_packed_command

    def counting(self, command, *args, **kwargs):
        sent.append(command)
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(Connection, "send_packed_command", counting)
    return sent


@pytest.mark.parametrize("_", [pytest.param(None, marks=needs_redis)])
def test_a_call_takes_two_redis_round_trips(client, record, round_trips, _):
    token, secret = issue()
    assert licence_call(client, secret, record).status_code == 200  # loads the script
    round_trips.clear()
    response = licence_call(client, secret, record)
    assert response.status_code == 200
    # The script (IP, token and its stats, marker), then the pipeline
    # (marker removed, row pushed): two, where there were six.
    assert len(round_trips) == 2, round_trips
    assert response["RateLimit-Remaining"] == "18"
    # The same counters as core.ratelimit's.
    assert ratelimit.remaining("partenaires:token", token.key_id, quota.TOKEN_LIMIT) == 18
    assert ratelimit.remaining("partenaires:ip", "127.0.0.1", quota.IP_LIMIT) == 98
    assert calllog.pending() == 2
    assert inflight.redis_key(_marker(token, record)) is not None
    connection = redis.Redis.from_url(REDIS_URL)
    assert connection.exists(inflight.redis_key(_marker(token, record))) == 0


def test_the_ip_ceiling_comes_first_and_a_refused_token_leaves_its_quota(
    client, record, monkeypatch
):
    monkeypatch.setattr(quota, "IP_LIMIT", "2/minute")
    token, secret = issue()
    services.revoke_token(token=token, actor=None)
    refused = licence_call(client, secret, record)
    assert (refused.status_code, error(refused)["code"]) == (401, "00105")
    # A revoked token's call counts for its address, not against its quota.
    assert ratelimit.remaining("partenaires:token", token.key_id, quota.TOKEN_LIMIT) == 20
    assert ratelimit.remaining("partenaires:ip", "127.0.0.1", "2/minute") == 1
    assert licence_call(client, "inconnu", record).status_code == 401
    over = licence_call(client, secret, record)
    assert (over.status_code, error(over)["code"]) == (429, "00429")
    assert error(over)["detail"] == (
        "Trop de requêtes depuis cette adresse IP : réessayez dans une seconde."
    )
    assert over["Retry-After"] == "1"
    assert "RateLimit-Remaining" not in over


def test_over_quota_sets_no_marker(client, record, monkeypatch):
    monkeypatch.setattr(quota, "TOKEN_LIMIT", "1/minute")
    monkeypatch.setattr(quota, "TOKEN_LIMIT_AMOUNT", 1)
    token, secret = issue()
    assert licence_call(client, secret, record).status_code == 200
    over = licence_call(client, secret, record)
    assert (over.status_code, error(over)["code"]) == (429, "00429")
    assert error(over)["detail"] == "Plus de 1 appels par seconde avec ce jeton."
    assert over["RateLimit-Remaining"] == "0"
    assert over["Retry-After"] == over["RateLimit-Reset"]
    from django.core.cache import cache

    assert cache.get(_marker(token, record)) is None


@pytest.mark.parametrize("_", [pytest.param(None, marks=needs_redis)])
def test_the_scripts_marker_is_the_caches_while_the_call_runs(client, monkeypatch, _):
    """Set by the script as cache.add would: the cache reads it (and
    test_errors' 409 with a marker set by the cache passes through it)."""
    from django.core.cache import cache

    from titres.partenaires.endpoints import identite

    token, secret = issue(scopes=[Scope.IDENTITE_TITRE])
    url, query = "/api/v1/titre-identite", {"numero": "X4RTBPFW4"}
    canonical = urlencode(sorted({**TRACE, **query}.items()), doseq=True)
    marker = inflight._key(token, url, tokens.params_digest(canonical))
    seen = []

    def spy(*args, **kwargs):
        seen.append(cache.get(marker))

    def not_this_path(*args, **kwargs):
        raise AssertionError("le script aurait dû servir")

    monkeypatch.setattr(admission, "_one_by_one", not_this_path)
    monkeypatch.setattr(identite.selectors, "issued_title", spy)
    response = get(client, url, secret, query, HTTP_X_REQUEST_ID="appel-2026-0700")
    assert response.status_code == 404
    assert seen == ["appel-2026-0700"]
    assert cache.get(marker) is None


@pytest.mark.parametrize("_", [pytest.param(None, marks=needs_redis)])
def test_script_failure_counts_in_memory_and_skips_the_duplicate_check(
    client, record, monkeypatch, caplog, _
):
    token, secret = issue()
    from django.core.cache import cache

    cache.set(_marker(token, record), "autre-appel", 30)  # as if the lost script had set it

    def lost(*args, **kwargs):
        raise redis.TimeoutError("Timeout reading from socket")

    monkeypatch.setattr(admission, "_scripted", lost)
    response = licence_call(client, secret, record)
    assert response.status_code == 200  # not 409: the marker may be the lost script's own
    assert "Limiteur de débit indisponible (partenaires:token)" in caplog.text
    assert "contrôle des requêtes en double sauté" in caplog.text
    assert response["RateLimit-Remaining"] == "19"  # counted in this process
    assert cache.get(_marker(token, record)) is None  # removed with the answer
    caplog.clear()
    # For FALLBACK_SECONDS, in memory without trying Redis again.
    assert licence_call(client, secret, record)["RateLimit-Remaining"] == "18"
    assert "Limiteur de débit indisponible" not in caplog.text
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
