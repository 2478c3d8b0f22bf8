"""Finding 4 of issue 16 (workers): the library's db_worker died on the
first OperationalError of a PostgreSQL outage and stayed dead."""

import pytest
from django.db import OperationalError
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.jobs import tasks
from titres.jobs import worker as worker_module

# transaction=True: an outage makes the worker close its connection, which
# inside a test's wrapping transaction would be the test's own (PostgreSQL
# then refuses every later query); here it reconnects as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_sleep(monkeypatch):
    pauses = []
    monkeypatch.setattr(worker_module.time, "sleep", pauses.append)
    return pauses


def test_the_worker_waits_out_a_database_outage(db_backend, make_worker, monkeypatch, no_sleep):
    result = tasks.succeeds.enqueue("after-outage")
    worker = make_worker(max_tasks=1, batch=False)
    monkeypatch.setattr(worker, "start_heartbeat", lambda: None)
    real = worker.claim_next
    outage = iter([True, True, False])

    def claim_during_outage():
        if next(outage):
            raise OperationalError("connection refused")
        return real()

    monkeypatch.setattr(worker, "claim_next", claim_during_outage)
    worker.run()  # returns after one task instead of raising
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    assert no_sleep[:2] == [1.0, 2.0]  # backoff between reconnection attempts


def test_a_result_is_saved_once_the_database_is_back(
    db_backend, make_worker, monkeypatch, no_sleep
):
    result = tasks.succeeds.enqueue("save-later")
    worker = make_worker()
    failures = iter([True, False])
    real = worker_module.record_success

    def flaky_save(task_result, value):
        if next(failures):
            raise OperationalError("server closed the connection unexpectedly")
        real(task_result, value)

    monkeypatch.setattr(worker_module, "record_success", flaky_save)
    assert worker.run_once() is True
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    assert tasks.CALLS == ["save-later"]  # the body ran once
