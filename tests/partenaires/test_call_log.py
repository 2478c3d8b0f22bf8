"""The call log written without slowing the call (calllog.py): queued in
Redis before the answer leaves, drained into the table by the scheduled
flush in batches, crash-safe; inserted directly without Redis or when
Redis is down."""

import datetime as dt
import io
import json
import os
import uuid

import pytest
import redis
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tests.accounts.conftest import verified_login
from tests.accounts.factories import TermsVersionFactory, UserFactory
from tests.permis.factories import LicenceRecordFactory
from titres.accounts.enums import Profile
from titres.jobs.schedule import job_named
from titres.jobs.scheduler import run_job
from titres.partenaires import calllog
from titres.partenaires.models import ApiToken, CallLog

from .factories import issue
from .helpers import get

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "")


def needs_redis(test):
    """A real Redis (REDIS_URL=redis://…), as tests/partenaires/test_quota_redis.py."""
    skip = pytest.mark.skipif(
        not REDIS_URL.startswith("redis://"), reason="REDIS_URL (redis://…) requis pour ce test"
    )
    return pytest.mark.redis(skip(test))


URL = "/api/v1/permis-de-conduire"
# Nothing listens on port 1: the connection is refused at once.
CLOSED_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def record():
    return LicenceRecordFactory(
        birth_name="Dupont", first_names="Marie", birth_date=dt.date(1990, 4, 2)
    )


@pytest.fixture
def queued(settings):
    """REDIS_URL set: the rows wait in Redis until flushed."""
    settings.REDIS_URL = REDIS_URL
    calllog.reset()
    return redis.Redis.from_url(REDIS_URL)


def licence_call(client, secret, record, **headers):
    query = {"neph": record.neph, "nom": "DUPONT", "prenoms": "Marie"}
    query["date_naissance"] = "1990-04-02"
    return get(client, URL, secret, query, **headers)


def queue_length(connection):
    queue, processing, _ = calllog.keys()
    return connection.llen(queue), connection.llen(processing)


@needs_redis
def test_a_call_is_queued_and_written_only_by_the_flush(client, record, queued):
    token, secret = issue()
    before = timezone.now()
    response = licence_call(client, secret, record, HTTP_X_REQUEST_ID="appel-2026-0100")
    assert response.status_code == 200
    assert not CallLog.objects.exists()
    assert queue_length(queued) == (1, 0)
    [raw] = queued.lrange(calllog.keys()[0], 0, -1)
    assert record.neph not in raw.decode() and "DUPONT" not in raw.decode()
    # The retention rule's date is written at the call, not at the flush.
    token.refresh_from_db()
    assert token.last_used_at >= before

    assert calllog.flush() == 1
    log = CallLog.objects.get()
    assert (log.token, log.method, log.path, log.ip) == (token, "GET", URL, "127.0.0.1")
    assert (log.status_code, log.error_code, log.request_id) == (200, "", "appel-2026-0100")
    assert len(log.params_hash) == 64 and log.params_hash == json.loads(raw)["params_hash"]
    assert 0 <= log.latency_ms < 60_000
    assert before <= log.at <= timezone.now()
    assert log.entry_id == uuid.UUID(json.loads(raw)["entry_id"])
    assert queue_length(queued) == (0, 0)
    assert calllog.flush() == 0  # nothing more, nothing twice
    assert CallLog.objects.count() == 1


@needs_redis
def test_refused_calls_are_queued_with_their_error_code(client, queued):
    licence = LicenceRecordFactory()
    licence_call(client, "inconnu", licence)
    calllog.flush()
    log = CallLog.objects.get()
    assert (log.token, log.status_code, log.error_code) == (None, 401, "00101")


@needs_redis
@pytest.mark.parametrize("written_before_death", [False, True])
def test_a_flusher_killed_mid_batch_loses_nothing_and_doubles_nothing(
    client, record, queued, written_before_death
):
    _, secret = issue()
    for n in range(3):
        licence_call(client, secret, record, HTTP_X_REQUEST_ID=f"appel-2026-010{n}")
    queue, processing, lock = calllog.keys()
    # The killed flusher: it held the lock and moved the batch to the
    # processing list; it may have written it, it never cleared it.
    queued.set(lock, "mort", px=calllog.LOCK_MS)
    take = queued.register_script(calllog._TAKE)
    batch = take(keys=[queue, processing, lock], args=["mort", calllog.BATCH, calllog.LOCK_MS])
    assert len(batch) == 3 and queue_length(queued) == (0, 3)
    if written_before_death:
        calllog._write(batch)
    licence_call(client, secret, record, HTTP_X_REQUEST_ID="appel-2026-0103")
    assert calllog.flush() == 0  # its lock still stands: nobody else flushes
    queued.delete(lock)  # its lock expires (LOCK_MS)

    calllog.flush()
    ids = sorted(CallLog.objects.values_list("request_id", flat=True))
    assert ids == [f"appel-2026-010{n}" for n in range(4)]  # each exactly once
    assert queue_length(queued) == (0, 0)


@needs_redis
def test_a_flusher_that_lost_its_lock_leaves_the_batch_to_the_next(
    client, record, queued, monkeypatch
):
    _, secret = issue()
    licence_call(client, secret, record)
    lock = calllog.keys()[2]
    write = calllog._write

    def stalled(items):
        # Frozen past its lock's expiry while writing: another flusher
        # took the lock meanwhile.
        written = write(items)
        queued.set(lock, "un autre", px=calllog.LOCK_MS)
        return written

    monkeypatch.setattr(calllog, "_write", stalled)
    calllog.flush()
    monkeypatch.setattr(calllog, "_write", write)
    assert queue_length(queued) == (0, 1)  # not cleared: the lock is not ours
    assert queued.get(lock) == b"un autre"  # and not released either
    queued.delete(lock)
    calllog.flush()
    assert CallLog.objects.count() == 1 and queue_length(queued) == (0, 0)


@needs_redis
def test_the_flush_writes_in_batches(queued, monkeypatch):
    monkeypatch.setattr(calllog, "BATCH", 2)
    for n in range(5):
        calllog.record(
            at=timezone.now(),
            token_id=None,
            method="GET",
            path=URL,
            params_hash="0" * 64,
            ip="192.0.2.1",
            status_code=401,
            error_code="00101",
            latency_ms=3,
            request_id=f"appel-{n}",
        )
    assert calllog.flush(max_batches=2) == 4
    assert CallLog.objects.count() == 4 and calllog.pending() == 1
    assert calllog.flush() == 1
    assert list(CallLog.objects.order_by("pk").values_list("request_id", flat=True)) == [
        f"appel-{n}" for n in range(5)
    ]


@needs_redis
def test_the_calls_of_a_token_deleted_meanwhile_are_dropped(client, record, queued):
    kept, kept_secret = issue()
    gone, gone_secret = issue(kept.partner)
    licence_call(client, kept_secret, record)
    licence_call(client, gone_secret, record)
    ApiToken.objects.filter(pk=gone.pk).delete()  # its calls go with it (CASCADE)
    assert calllog.flush() == 1
    assert list(CallLog.objects.values_list("token", flat=True)) == [kept.pk]
    assert queue_length(queued) == (0, 0)


@needs_redis
def test_a_flush_inside_a_transaction_is_refused_and_loses_nothing(client, record, queued):
    _, secret = issue()
    licence_call(client, secret, record)
    with pytest.raises(RuntimeError), transaction.atomic():
        calllog.flush()
    assert not CallLog.objects.exists() and queue_length(queued) == (0, 1)
    calllog.flush()
    assert CallLog.objects.count() == 1


@needs_redis
def test_the_scheduled_job_flushes(client, record, queued):
    _, secret = issue()
    licence_call(client, secret, record)
    job = job_named("flush_call_logs")
    assert (job.command, job.period) == ("flush_call_logs", 60)
    run = run_job(job, instance="manuel:test", check_lease=False)
    assert run.status == "reussie", run.error
    assert run.output.strip() == "Appels écrits : 1 ; encore en attente : 0."
    assert CallLog.objects.count() == 1


@needs_redis
def test_the_dashboard_shows_a_call_still_queued(client, record, queued):
    token, secret = issue()
    licence_call(client, secret, record, HTTP_X_REQUEST_ID="appel-2026-0200")
    member = UserFactory(profile=Profile.PERSONNE_MORALE)
    token.partner.members.add(member)
    client.force_login(member)
    response = client.get("/partenaires/tableau-de-bord/")
    assert [c.request_id for c in response.context["last_calls"]] == ["appel-2026-0200"]
    assert response.context["series"][0].total == 1


def test_redis_down_the_row_is_inserted_directly_and_the_call_answered(
    client, record, settings, caplog
):
    settings.REDIS_URL = CLOSED_REDIS
    token, secret = issue()
    response = licence_call(client, secret, record, HTTP_X_REQUEST_ID="appel-2026-0300")
    assert response.status_code == 200
    log = CallLog.objects.get()
    assert (log.token, log.status_code, log.request_id) == (token, 200, "appel-2026-0300")
    assert log.entry_id is not None
    assert "Journal des appels : Redis indisponible" in caplog.text
    # Directly for FALLBACK_SECONDS: no timeout paid per call meanwhile.
    caplog.clear()
    assert licence_call(client, secret, record).status_code == 200
    assert CallLog.objects.count() == 2 and "Redis indisponible" not in caplog.text


def test_redis_down_the_dashboard_still_shows_the_table(client, settings):
    settings.REDIS_URL = CLOSED_REDIS
    token, _ = issue()
    member = UserFactory(profile=Profile.PERSONNE_MORALE)
    token.partner.members.add(member)
    client.force_login(member)
    assert client.get("/partenaires/tableau-de-bord/").status_code == 200


def test_without_redis_each_call_is_inserted_directly(client, record, settings):
    settings.REDIS_URL = ""
    token, secret = issue()
    licence_call(client, secret, record, HTTP_X_REQUEST_ID="appel-2026-0400")
    log = CallLog.objects.get()
    assert (log.token, log.status_code, log.request_id) == (token, 200, "appel-2026-0400")
    assert calllog.flush() == 0 and calllog.pending() == 0
    out = io.StringIO()
    call_command("flush_call_logs", stdout=out)
    assert out.getvalue().strip() == "Pas de REDIS_URL : chaque appel est écrit directement."


@needs_redis
def test_the_operators_pages_show_a_call_still_queued(client, record, queued):
    token, secret = issue()
    licence_call(client, secret, record, HTTP_X_REQUEST_ID="appel-2026-0500")
    TermsVersionFactory(version=1)
    verified_login(client, UserFactory(operator=True, username="operateur"))
    usage = client.get(f"/gestion/partenaires/partner/{token.partner.pk}/utilisation/")
    assert usage.context["series"][0].total == 1
    licence_call(client, secret, record, HTTP_X_REQUEST_ID="appel-2026-0600")
    assert not CallLog.objects.filter(request_id="appel-2026-0600").exists()
    listing = client.get("/gestion/partenaires/calllog/")
    assert {c.request_id for c in listing.context["cl"].result_list} == {
        "appel-2026-0500",
        "appel-2026-0600",
    }
