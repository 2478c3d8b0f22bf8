"""Finding 1 of issue 16: a worker killed while a task runs left it RUNNING
forever (no lease, no reaper); a second SIGTERM marked it FAILED for good;
failures were never retried. These tests run the database backend with
the project's worker (titres/jobs/worker.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from tests.jobs import tasks
from titres.core.models import AuditEvent
from titres.core.notifications import send_email_task
from titres.jobs.models import TaskLease
from titres.jobs.reaper import reap_expired

pytestmark = pytest.mark.django_db


def _row(result) -> DBTaskResult:
    return DBTaskResult.objects.select_related("lease").get(pk=result.id)


@pytest.mark.django_db(transaction=True)  # the worker's real connection handling
def test_a_task_of_a_killed_worker_runs_again_once(db_backend, make_worker, mailoutbox):
    result = send_email_task.enqueue(
        template="accounts/emails/activation",
        to=["a@example.fr"],
        context={"activation_url": "http://x/", "first_name": "Ana"},
        key="k-killed",
    )
    # Worker A claims the task, then dies (kill -9): nothing more from it.
    claimed = make_worker(queues=["mail"], worker_id="worker-a").claim_next()
    assert claimed is not None
    row = _row(result)
    assert row.status == TaskResultStatus.RUNNING
    assert row.lease.worker_id == "worker-a"
    assert row.lease.attempts == 1

    # Within its lease nobody touches it: A might just be slow.
    assert reap_expired() == []
    assert _row(result).status == TaskResultStatus.RUNNING

    with freeze_time(timezone.now() + timedelta(seconds=61)):
        reaped = reap_expired()
        assert [(r.worker_id, r.outcome) for r in reaped] == [("worker-a", "relancee")]
        assert _row(result).status == TaskResultStatus.READY
        assert make_worker(queues=["mail"], worker_id="worker-b").run_once() is True

    row = _row(result)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["worker-a", "worker-b"]
    assert row.lease.attempts == 2
    assert len(mailoutbox) == 1
    event = AuditEvent.objects.get(event="jobs.task_requeued")
    assert event.data["worker"] == "worker-a"


def test_the_heartbeat_keeps_a_long_task_from_being_reaped(db_backend, make_worker):
    result = tasks.succeeds.enqueue("long")
    worker = make_worker()
    task_result, lease = worker.claim_next()
    worker.current = task_result
    start = timezone.now()
    with freeze_time(start + timedelta(seconds=50)):
        worker.beat()
    with freeze_time(start + timedelta(seconds=100)):
        # 100 s after the claim, but 50 s after the last heartbeat.
        assert reap_expired() == []
    with freeze_time(start + timedelta(seconds=111)):
        assert [r.task_id for r in reap_expired()] == [str(result.id)]


def test_a_failing_task_is_retried_with_backoff_then_failed(db_backend, make_worker, settings):
    settings.TASKS_RETRY_BASE_SECONDS = 10
    result = tasks.always_fails.enqueue("x")
    worker = make_worker()
    now = timezone.now()
    delays = []
    for attempt in (1, 2):
        with freeze_time(now):
            assert worker.run_once() is True
            row = _row(result)
            assert row.status == TaskResultStatus.READY
            assert row.lease.attempts == attempt
            assert row.lease.last_error == "RuntimeError: échec x"
            delays.append((row.run_after - now).total_seconds())
            assert worker.run_once() is False  # not due yet
        now = row.run_after
    # 10 s then 20 s, each with at most 10 % jitter.
    assert 9 <= delays[0] <= 11
    assert 18 <= delays[1] <= 22
    with freeze_time(now):
        assert worker.run_once() is True
    row = _row(result)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.RuntimeError"
    assert tasks.CALLS == ["x", "x", "x"]


def test_a_task_interrupted_by_a_second_signal_goes_back_to_the_queue(db_backend, make_worker):
    result = tasks.interrupted.enqueue("stop")
    with pytest.raises(SystemExit):
        make_worker().run_once()
    row = _row(result)
    assert row.status == TaskResultStatus.READY
    assert row.lease.expires_at is None
    assert row.lease.last_error == "tâche interrompue"


def test_a_lost_task_of_a_leaseless_worker_is_reaped_after_the_orphan_delay(db_backend, settings):
    # Claimed by the library's own db_worker (no lease), then killed.
    settings.TASKS_ORPHAN_SECONDS = 600
    result = tasks.succeeds.enqueue("orphan")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=601),
        worker_ids=["plain"],
    )
    [reaped] = reap_expired()
    assert reaped.worker_id == "plain"
    assert _row(result).status == TaskResultStatus.READY


def test_a_task_that_used_its_attempts_is_failed_when_its_worker_dies(db_backend, make_worker):
    result = tasks.succeeds.enqueue("last")
    make_worker().claim_next()
    TaskLease.objects.filter(task_id=result.id).update(attempts=3)
    with freeze_time(timezone.now() + timedelta(seconds=61)):
        [reaped] = reap_expired()
    assert reaped.outcome == "abandonnee"
    row = _row(result)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "titres.jobs.reaper.LeaseExpired"


def test_workers_take_only_their_queues(db_backend, make_worker):
    mail = send_email_task.enqueue(template="t", to=["a@example.fr"], context={}, key="q")
    assert mail.task.queue_name == "mail"
    assert make_worker(queues=["documents"]).run_once() is False
    assert _row(mail).status == TaskResultStatus.READY
