"""The token copy a process keeps (tokencache.py): a call with a kept token
reads no token row, and a revocation, a suspension, an expiry or a call from
an address outside the allow-list is refused on the very next call, since the
stamp in Redis changes with every committed change to a token or a partner.
Without the shared Redis nothing is kept."""

import datetime as dt
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from tests.permis.factories import LicenceRecordFactory
from titres.partenaires import services, tokencache
from titres.partenaires.models import ApiToken, Partner

from .factories import issue
from .helpers import error, get

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL.startswith("redis://"), reason="REDIS_URL (redis://…) requis pour ce test"
)
URL = "/api/v1/permis-de-conduire"


@pytest.fixture
def record():
    return LicenceRecordFactory(
        birth_name="Dupont", first_names="Marie", birth_date=dt.date(1990, 4, 2)
    )


def licence_call(client, secret, record, **headers):
    query = {"neph": record.neph, "nom": "DUPONT", "prenoms": "Marie"}
    return get(client, URL, secret, {**query, "date_naissance": "1990-04-02"}, **headers)


def token_reads(queries):
    return [q for q in queries if "partenaires_apitoken" in q["sql"] and "SELECT" in q["sql"]]


@pytest.fixture
def kept(client, record):
    """A token this process keeps after its first call."""
    token, secret = issue()
    assert licence_call(client, secret, record).status_code == 200
    assert tokencache.get(token.key_id) is not None
    return token, secret


@needs_redis
def test_a_kept_token_is_not_read_again(client, record, kept):
    _, secret = kept
    with CaptureQueriesContext(connection) as queries:
        response = licence_call(client, secret, record)
    assert response.status_code == 200
    assert token_reads(queries) == []


@needs_redis
def test_revoked_then_refused_on_the_next_call(
    client, record, kept, django_capture_on_commit_callbacks
):
    token, secret = kept
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_token(token=token, actor=None)
    response = licence_call(client, secret, record)
    assert response.status_code == 401
    assert error(response)["code"] == "00105"
    assert error(response)["detail"].startswith("Ce jeton a été révoqué le ")


@needs_redis
def test_partner_suspended_then_refused_on_the_next_call(
    client, record, kept, django_capture_on_commit_callbacks
):
    token, secret = kept
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend_partner(partner=token.partner, reason="Contrôle CNIL", actor=None)
    response = licence_call(client, secret, record)
    assert response.status_code == 401
    assert error(response)["code"] == "00105"
    assert error(response)["detail"].endswith(": Contrôle CNIL")
    # Reactivated: the same token works again, read afresh.
    with django_capture_on_commit_callbacks(execute=True):
        services.reactivate_partner(partner=token.partner, actor=None)
    assert licence_call(client, secret, record).status_code == 200


@needs_redis
def test_terminated_then_refused_on_the_next_call(
    client, record, kept, django_capture_on_commit_callbacks
):
    token, secret = kept
    with django_capture_on_commit_callbacks(execute=True):
        services.terminate_partner(partner=token.partner, reason="Fin de convention", actor=None)
    response = licence_call(client, secret, record)
    assert response.status_code == 401
    assert error(response)["code"] == "00105"


@needs_redis
def test_expiry_passing_refuses_the_kept_token(client, record, kept):
    token, secret = kept
    token.refresh_from_db()
    with freeze_time(token.expires_at + dt.timedelta(seconds=1)):
        response = licence_call(client, secret, record)
    assert response.status_code == 401
    assert error(response)["code"] == "00103"


@needs_redis
def test_renewal_shortens_the_kept_tokens_life(
    client, record, kept, django_capture_on_commit_callbacks
):
    token, secret = kept
    with django_capture_on_commit_callbacks(execute=True):
        services.renew_token(token=token, actor=None)
    with freeze_time(timezone.now() + services.RENEWAL_OVERLAP + dt.timedelta(minutes=1)):
        response = licence_call(client, secret, record)
    assert response.status_code == 401
    assert error(response)["code"] == "00103"
    assert "il a été renouvelé" in error(response)["detail"]


@needs_redis
def test_the_allow_list_applies_to_the_kept_token(client, record):
    token, secret = issue(ip_allowlist=["127.0.0.0/8"])
    assert licence_call(client, secret, record).status_code == 200
    assert tokencache.get(token.key_id) is not None
    response = licence_call(client, secret, record, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 403
    assert error(response)["code"] == "00100"


@needs_redis
def test_a_wrong_secret_with_a_kept_key_id_is_unknown(client, record, kept):
    token, secret = kept
    forged = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    response = licence_call(client, forged, record)
    assert response.status_code == 401
    assert error(response)["code"] == "00101"


@needs_redis
def test_a_change_committed_by_another_server_is_seen(client, record, kept):
    """Another server revoked the token: its row changed and the stamp with
    it (its commit), nothing in this process; the copy is not used."""
    token, secret = kept
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    tokencache._new_stamp()
    with CaptureQueriesContext(connection) as queries:
        response = licence_call(client, secret, record)
    assert response.status_code == 401
    assert error(response)["code"] == "00105"
    assert len(token_reads(queries)) == 1


@needs_redis
def test_a_stamp_redis_forgot_is_a_new_one(client, record, kept):
    import redis

    token, secret = kept
    Partner.objects.filter(pk=token.partner_id).update(state="suspendu", state_reason="Test")
    redis.Redis.from_url(REDIS_URL).delete(tokencache.stamp_key())
    response = licence_call(client, secret, record)
    assert response.status_code == 401
    assert error(response)["code"] == "00105"


@needs_redis
def test_a_kept_copy_goes_after_its_maximum_age(client, record, kept, monkeypatch):
    token, _ = kept
    now = tokencache.get(token.key_id).at
    monkeypatch.setattr(tokencache.time, "monotonic", lambda: now + tokencache.MAX_AGE_SECONDS + 1)
    assert tokencache.get(token.key_id) is None


def test_nothing_is_kept_without_the_shared_redis(client, record, settings):
    settings.REDIS_URL = ""
    token, secret = issue()
    assert licence_call(client, secret, record).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert licence_call(client, secret, record).status_code == 200
    assert tokencache.get(token.key_id) is None
    assert len(token_reads(queries)) == 1
