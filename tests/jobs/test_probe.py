"""Finding 4 of issue 16 (probe): /readyz stayed green while no worker
ran and 1,156 scans waited. /readyz/taches reports each queue's live
workers and the age of its oldest waiting task."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from freezegun import freeze_time

from tests.jobs import tasks
from titres.core.notifications import send_email_task
from titres.jobs.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

QUEUES = ["default", "mail", "documents", "production"]


def test_no_worker_is_reported(db_backend, client):
    response = client.get("/readyz/taches")
    assert response.status_code == 503
    assert response.json()["queues"]["mail"]["status"] == "erreur : aucun worker vivant"


def test_all_queues_served(db_backend, client, make_worker):
    for name in QUEUES:
        make_worker(queues=[name], worker_id=f"w-{name}").beat()
    response = client.get("/readyz/taches")
    assert response.status_code == 200, response.json()
    assert response.json()["queues"]["documents"] == {
        "workers": 1,
        "oldest_waiting_seconds": 0,
        "failed_last_24h": False,
        "status": "ok",
    }


def test_a_silent_worker_counts_as_dead(db_backend, client, make_worker, settings):
    settings.TASKS_WORKER_SEEN_SECONDS = 30
    for name in QUEUES:
        make_worker(queues=[name], worker_id=f"w-{name}").beat()
    WorkerHeartbeat.objects.filter(worker_id="w-mail").update(
        seen_at=timezone.now() - timedelta(seconds=31)
    )
    response = client.get("/readyz/taches")
    assert response.status_code == 503
    assert response.json()["queues"]["mail"]["workers"] == 0
    assert response.json()["queues"]["default"]["status"] == "ok"


def test_the_age_of_the_oldest_waiting_task(db_backend, client, make_worker, settings):
    settings.TASKS_MAX_WAIT_SECONDS = 300
    with freeze_time(timezone.now() - timedelta(seconds=400)):
        send_email_task.enqueue(template="t", to=["a@example.fr"], context={}, key="old")
    tasks.succeeds.using(run_after=timezone.now() + timedelta(hours=1)).enqueue("later")
    for name in QUEUES:
        make_worker(queues=[name], worker_id=f"w-{name}").beat()
    body = client.get("/readyz/taches").json()
    assert 399 <= body["queues"]["mail"]["oldest_waiting_seconds"] <= 402
    assert body["queues"]["mail"]["status"].startswith("erreur : tâche en attente depuis")
    # A task deferred to later is not waiting.
    assert body["queues"]["default"]["oldest_waiting_seconds"] == 0
    with pytest.raises(CommandError, match="mail"):
        call_command("task_status")
