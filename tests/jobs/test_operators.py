"""Operators see stuck and failed tasks in /gestion/ and retry them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from tests.accounts.conftest import verified_login
from tests.accounts.factories import UserFactory
from tests.jobs import tasks
from titres.core.models import AuditEvent
from titres.jobs.models import TaskLease
from titres.jobs.services import NotRetryable, retry_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = UserFactory(operator=True)
    verified_login(client, user)
    return user


def _failed(make_worker):
    result = tasks.always_fails.enqueue("f")
    worker = make_worker()
    for _ in range(3):
        DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())
        worker.run_once()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    return row


def test_the_changelist_shows_failed_and_stuck_tasks(db_backend, make_worker, client, operator):
    failed = _failed(make_worker)
    stuck = tasks.succeeds.enqueue("stuck")
    make_worker(worker_id="dead").claim_next()
    TaskLease.objects.filter(task_id=stuck.id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    page = client.get(url, {"etat": "bloquee"}).content.decode()
    assert str(stuck.id) in page and str(failed.pk) not in page
    page = client.get(url, {"etat": "echec"}).content.decode()
    assert str(failed.pk) in page and "RuntimeError: échec f" in page


def test_an_operator_retries_a_failed_task(db_backend, make_worker, client, operator):
    failed = _failed(make_worker)
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    response = client.post(url, {"action": "retry", "_selected_action": [str(failed.pk)]})
    assert response.status_code == 302
    row = DBTaskResult.objects.select_related("lease").get(pk=failed.pk)
    assert row.status == TaskResultStatus.READY
    assert row.lease.attempts == 0
    event = AuditEvent.objects.get(event="jobs.task_retried")
    assert event.actor == operator
    assert event.data["statut_precedent"] == TaskResultStatus.FAILED
    assert make_worker().run_once() is True  # runs again, three new attempts


def test_a_successful_or_running_task_is_not_retried(db_backend, make_worker, operator):
    done = tasks.succeeds.enqueue("ok")
    make_worker().run_once()
    with pytest.raises(NotRetryable, match="Seule une tâche en échec ou bloquée"):
        retry_task(task_result=DBTaskResult.objects.get(pk=done.id), actor=operator)
    running = tasks.succeeds.enqueue("running")
    make_worker().claim_next()
    with pytest.raises(NotRetryable):
        retry_task(task_result=DBTaskResult.objects.get(pk=running.id), actor=operator)
    with freeze_time(timezone.now() + timedelta(seconds=61)):
        retry_task(task_result=DBTaskResult.objects.get(pk=running.id), actor=operator)
    assert DBTaskResult.objects.get(pk=running.id).status == TaskResultStatus.READY


def test_a_citizen_cannot_open_the_tasks(db_backend, client):
    client.force_login(UserFactory())
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    assert client.get(url).status_code == 302  # sent to the operators' login
