"""A django-tasks-db worker that holds a lease on what it runs.

The library's worker marks a task RUNNING and trusts itself to finish it:
killed with SIGKILL the task stays RUNNING forever, a second SIGTERM marks
it FAILED, and a database error while claiming ends the process. This
worker, a subclass of the library's:

- renews a lease (`TaskLease.expires_at`) and its own liveness row
  (`WorkerHeartbeat`) from a heartbeat thread, so the reaper can tell a
  long task from a dead worker;
- reaps the expired leases of other workers on every pass (any live worker
  recovers the work of a dead one: no separate daemon to forget);
- retries a failed task with exponential backoff up to TASKS_MAX_ATTEMPTS,
  then marks it FAILED for operators to see and retry;
- gives a task interrupted by a second signal back to the queue instead of
  failing it;
- survives a database outage: it logs, waits with backoff and goes on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from datetime import timedelta
from traceback import format_exception

from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.compat import TaskContext
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from titres.core.files import files_cleaned_on_rollback

from . import conf
from .models import TaskLease, WorkerHeartbeat
from .reaper import reap_expired

logger = logging.getLogger("titres.jobs")

OUTAGE_PAUSE_MAX = 30.0


class LeasedWorker(Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.current: DBTaskResult | None = None
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None
        self._outage_pause = 0.0
        self._next_reap = 0.0
        self.started_at = timezone.now()

    # --- main loop -----------------------------------------------------------

    def run(self) -> None:
        logger.info("Worker %s: files %s", self.worker_id, ",".join(self.queue_names))
        self.start_heartbeat()
        try:
            while self.running:
                try:
                    found = self.run_once()
                except DatabaseError as error:
                    self._pause_after_outage(error)
                    continue
                self._outage_pause = 0.0
                if self.batch and not found:
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                if self.running and not found:
                    time.sleep(self.interval)
        finally:
            self._stop.set()
            self._unregister()

    def run_once(self) -> bool:
        """Reap if due, claim one ready task and run it; False when the
        queues are empty."""
        close_old_connections()
        if time.monotonic() >= self._next_reap:
            reap_expired()
            self._next_reap = time.monotonic() + conf.heartbeat_seconds()
        claimed = self.claim_next()
        if claimed is None:
            return False
        self.run_task(*claimed)
        return True

    def claim_next(self) -> tuple[DBTaskResult, TaskLease] | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
            except DatabaseError as error:
                if is_locked_database_exception(error):
                    return None
                raise
            if task_result is None:
                return None
            task_result.claim(self.worker_id)
            return task_result, claim_lease(task_result, self.worker_id)

    def _pause_after_outage(self, error: DatabaseError) -> None:
        self._outage_pause = min(OUTAGE_PAUSE_MAX, max(1.0, self._outage_pause * 2))
        logger.error(
            "Worker %s: base de données indisponible (%s), nouvel essai dans %.0f s",
            self.worker_id,
            error.__class__.__name__,
            self._outage_pause,
        )
        with contextlib.suppress(DatabaseError):
            connection.close()
        time.sleep(self._outage_pause)

    # --- one task ------------------------------------------------------------

    def run_task(self, db_task_result: DBTaskResult, lease: TaskLease | None = None) -> None:
        lease = lease or claim_lease(db_task_result, self.worker_id)
        self.running_task = True
        self.current = db_task_result
        try:
            with files_cleaned_on_rollback():
                value = self._call(db_task_result)
        except (SystemExit, KeyboardInterrupt):
            # Stopped by a second signal in the middle: the work may be
            # half done, which idempotent bodies tolerate; give it back.
            self._until_saved(release, db_task_result, "interrompue")
            raise
        except Exception as error:  # noqa: BLE001 - every failure is recorded
            self._until_saved(record_failure, db_task_result, error)
        else:
            self._until_saved(record_success, db_task_result, value)
            task_finished.send(
                sender=type(db_task_result.task.get_backend()),
                task_result=db_task_result.task_result,
            )
        finally:
            self.current = None
            self.running_task = False
            self._run_tasks += 1

    def _call(self, db_task_result: DBTaskResult):
        task = db_task_result.task
        task_result = db_task_result.task_result
        task_started.send(sender=type(task.get_backend()), task_result=task_result)
        if task.takes_context:
            return task.call(
                TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
            )
        return task.call(*task_result.args, **task_result.kwargs)

    def _until_saved(self, save, *args) -> None:
        """Write a task's outcome, waiting out a database outage: losing it
        would only mean a rerun (bodies are idempotent), but a rerun
        costs an e-mail or a scan."""
        pause = 0.5
        while True:
            try:
                close_old_connections()
                save(*args)
                return
            except DatabaseError as error:
                if not self.running:
                    logger.error("Résultat non enregistré (%s) : le bail expirera.", error)
                    return
                logger.error("Résultat en attente de la base (%s)", error.__class__.__name__)
                with contextlib.suppress(DatabaseError):
                    connection.close()
                time.sleep(pause)
                pause = min(OUTAGE_PAUSE_MAX, pause * 2)

    # --- heartbeat -----------------------------------------------------------

    def start_heartbeat(self) -> None:
        self._heartbeat = threading.Thread(target=self._heartbeat_loop, daemon=True)
        self._heartbeat.start()

    def beat(self) -> None:
        """Renew the lease of the running task and this worker's row."""
        now = timezone.now()
        current = self.current
        if current is not None:
            TaskLease.objects.filter(task_id=current.pk, worker_id=self.worker_id).update(
                expires_at=now + timedelta(seconds=conf.lease_seconds())
            )
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "queues": ",".join(self.queue_names)[:200],
                "hostname": socket.gethostname()[:200],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": now,
                "current_task": current.pk if current is not None else None,
            },
        )

    def _heartbeat_loop(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    self.beat()
                except DatabaseError as error:
                    logger.warning("Battement de cœur impossible (%s)", error.__class__.__name__)
                    connection.close()
                self._stop.wait(conf.heartbeat_seconds())
        finally:
            connection.close()

    def _unregister(self) -> None:
        # On failure the row ages out and the probe reports the worker gone.
        with contextlib.suppress(DatabaseError):
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


# --- state changes, shared with the reaper and the operators' retry -------------


def claim_lease(task_result: DBTaskResult, worker_id: str) -> TaskLease:
    lease, _ = TaskLease.objects.get_or_create(task_id=task_result.pk)
    lease.attempts += 1
    lease.worker_id = worker_id[:64]
    lease.expires_at = timezone.now() + timedelta(seconds=conf.lease_seconds())
    lease.save()
    return lease


def _error_fields(error: BaseException) -> dict:
    return {
        "exception_class_path": f"{type(error).__module__}.{type(error).__qualname__}",
        "traceback": "".join(format_exception(error)),
    }


@transaction.atomic
def record_success(task_result: DBTaskResult, value) -> None:
    task_result.set_successful(value)
    TaskLease.objects.filter(task_id=task_result.pk).update(expires_at=None)


@transaction.atomic
def record_failure(task_result: DBTaskResult, error: BaseException) -> None:
    """Back to READY after a backoff while attempts remain, else FAILED."""
    lease, _ = TaskLease.objects.get_or_create(task_id=task_result.pk)
    lease.expires_at = None
    lease.last_error = f"{type(error).__name__}: {error}"[:2000]
    lease.save(update_fields=["expires_at", "last_error"])
    if lease.attempts < conf.max_attempts():
        delay = conf.retry_delay(lease.attempts)
        DBTaskResult.objects.filter(pk=task_result.pk).update(
            status=TaskResultStatus.READY,
            run_after=timezone.now() + timedelta(seconds=delay),
            **_error_fields(error),
        )
        logger.warning(
            "Tâche %s (%s) en échec, essai %d/%d, nouvel essai dans %.0f s : %s",
            task_result.pk,
            task_result.task_path,
            lease.attempts,
            conf.max_attempts(),
            delay,
            lease.last_error,
        )
    else:
        task_result.set_failed(error)
        logger.error(
            "Tâche %s (%s) abandonnée après %d essais : %s",
            task_result.pk,
            task_result.task_path,
            lease.attempts,
            lease.last_error,
        )


@transaction.atomic
def release(task_result: DBTaskResult, reason: str) -> None:
    DBTaskResult.objects.filter(pk=task_result.pk, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, run_after=timezone.now()
    )
    TaskLease.objects.filter(task_id=task_result.pk).update(
        expires_at=None, last_error=f"tâche {reason}"
    )
