"""Gives the tasks of dead workers back to the queue.

A RUNNING task whose lease has expired (its worker stopped renewing it:
killed, frozen, its machine gone) goes back to READY after a backoff, or
to FAILED once it has used its attempts. A RUNNING task without any lease
(claimed by a worker that does not take leases, such as the library's
`db_worker`) is treated the same once it has run for TASKS_ORPHAN_SECONDS.
Every live worker calls this on each pass; `manage.py reap_tasks` and the
scheduler call it too."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from titres.core.journal import record_event

from . import conf
from .audit import JobsEvent
from .models import TaskLease

logger = logging.getLogger("titres.jobs")


class LeaseExpired(Exception):
    """The worker running the task stopped renewing its lease."""


@dataclass(frozen=True)
class Reaped:
    task_id: str
    task_path: str
    worker_id: str
    attempts: int
    outcome: str  # "relancee" or "abandonnee"


def expired_running(now=None):
    now = now or timezone.now()
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).filter(
        Q(lease__expires_at__lt=now)
        | Q(lease__isnull=True, started_at__lt=now - timedelta(seconds=conf.orphan_seconds()))
    )


def reap_expired(now=None) -> list[Reaped]:
    reaped = []
    for pk in list(expired_running(now).values_list("pk", flat=True)[:500]):
        outcome = _reap_one(pk, now or timezone.now())
        if outcome is not None:
            reaped.append(outcome)
    return reaped


@transaction.atomic
def _reap_one(pk, now) -> Reaped | None:
    # skip_locked: two workers reaping at once each take different rows;
    # the re-read under the lock tells whether the lease was renewed since.
    task_result = (
        expired_running(now).select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
    )
    if task_result is None:
        return None
    lease, _ = TaskLease.objects.get_or_create(task_id=pk)
    worker_id = lease.worker_id or (task_result.worker_ids or ["?"])[-1]
    error = LeaseExpired(f"le worker {worker_id} ne renouvelle plus son bail")
    lease.expires_at = None
    lease.last_error = f"LeaseExpired: {error}"
    lease.save(update_fields=["expires_at", "last_error"])
    if lease.attempts < conf.max_attempts():
        delay = conf.retry_delay(max(1, lease.attempts))
        DBTaskResult.objects.filter(pk=pk).update(
            status=TaskResultStatus.READY, run_after=now + timedelta(seconds=delay)
        )
        outcome = "relancee"
    else:
        task_result.set_failed(error)
        outcome = "abandonnee"
    record_event(
        JobsEvent.TASK_REQUEUED if outcome == "relancee" else JobsEvent.TASK_ABANDONED,
        actor_role="systeme",
        target=task_result,
        data={
            "tache": task_result.task_path,
            "worker": worker_id,
            "tentatives": lease.attempts,
        },
    )
    logger.warning(
        "Tâche %s (%s) du worker %s : bail expiré, %s",
        pk,
        task_result.task_path,
        worker_id,
        outcome,
    )
    return Reaped(str(pk), task_result.task_path, worker_id, lease.attempts, outcome)
