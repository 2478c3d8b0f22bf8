"""The one scheduler of the periodic jobs (`manage.py run_scheduler`).

Every app server may start one; only the holder of the lease
(titres/jobs/lease.py) runs jobs. The others renew nothing and retry the
lease every third of its life, so one of them takes over within a lease
period of the holder's death. Timing comes from APScheduler (3.x, in
memory, a small thread pool); the rhythm itself is kept in the database
(`ScheduledJob.next_run_at`), so a restarted or new leader runs what fell
due meanwhile once (coalesced) and keeps the periods, instead of starting
every clock again.

A run is one call of the job's management command. It is recorded as a
`JobRun` (start, end, outcome, output, error) and journaled
(`jobs.scheduled_run_succeeded` / `jobs.scheduled_run_failed`). Before each
run the lease is renewed by compare-and-set: a leader that lost it (frozen
past its expiry while another took over) runs nothing more.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
import traceback
import uuid
from datetime import UTC, timedelta
from io import StringIO

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone

from titres.core.journal import record_event

from . import conf, lease
from .audit import JobsEvent
from .models import JobRun, RunStatus, ScheduledJob
from .schedule import PeriodicJob, job_named, periodic_jobs

logger = logging.getLogger("titres.jobs.scheduler")

MANUAL_PREFIX = "manuel:"
OUTPUT_MAX = 4000
ERROR_MAX = 2000


def default_instance_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"[:200]


# --- one run ---------------------------------------------------------------------


def run_job(job: PeriodicJob | str, *, instance: str, check_lease: bool = True) -> JobRun | None:
    """Run one job now and record its outcome; None if the lease is lost.

    `check_lease=False` is the operator's `manage.py schedule --run`: a
    deliberate run by hand, recorded and journaled like the others."""
    if isinstance(job, str):
        job = job_named(job)
    if check_lease and not lease.renew(instance):
        logger.warning("Planificateur %s : bail perdu, %s non lancée", instance, job.name)
        return None
    state, _ = ScheduledJob.objects.get_or_create(name=job.name)
    started = timezone.now()
    run = JobRun.objects.create(job=state, instance=instance, started_at=started)
    ScheduledJob.objects.filter(pk=state.pk).update(
        next_run_at=started + timedelta(seconds=job.period)
    )
    out = StringIO()
    status, error = RunStatus.REUSSIE, ""
    try:
        call_command(job.command, *job.args, stdout=out, stderr=out)
    except CommandError as failure:
        status, error = RunStatus.ECHOUEE, str(failure)
    except Exception as failure:  # noqa: BLE001 - any failure is the run's outcome
        status, error = RunStatus.ECHOUEE, f"{type(failure).__name__}: {failure}"
        logger.error("Tâche planifiée %s en échec\n%s", job.name, traceback.format_exc())
    _finish(run, status=status, output=out.getvalue(), error=error)
    _prune(state)
    return run


@transaction.atomic
def _finish(run: JobRun, *, status: str, output: str, error: str) -> None:
    run.finished_at = timezone.now()
    run.status = status
    run.output = output[-OUTPUT_MAX:]
    run.error = error[:ERROR_MAX]
    run.save(update_fields=["finished_at", "status", "output", "error"])
    failed = status != RunStatus.REUSSIE
    data = {
        "tache": run.job.name,
        "instance": run.instance,
        "duree_ms": int(run.duration_seconds * 1000),
    }
    if failed:
        data["erreur"] = run.error[:500]
    record_event(
        JobsEvent.SCHEDULED_RUN_FAILED if failed else JobsEvent.SCHEDULED_RUN_SUCCEEDED,
        actor_role="systeme",
        target=run,
        data=data,
    )
    if failed:
        logger.error("Tâche planifiée %s en échec : %s", run.job.name, run.error)
    else:
        logger.info("Tâche planifiée %s réussie (%.1f s)", run.job.name, run.duration_seconds)


def _prune(state: ScheduledJob) -> None:
    cutoff = timezone.now() - timedelta(days=conf.scheduler_runs_kept_days())
    JobRun.objects.filter(job=state, started_at__lt=cutoff).delete()


def _run_in_pool(name: str, instance: str) -> None:
    """What the thread pool calls: a fresh connection per run, closed after,
    so a connection broken by an outage never poisons the next run."""
    close_old_connections()
    try:
        run_job(name, instance=instance)
    finally:
        connection.close()


# --- the long-running scheduler ----------------------------------------------------


class Scheduler:
    def __init__(self, instance: str | None = None, *, paused: bool = False):
        self.instance = instance or default_instance_id()
        # paused: jobs registered but not fired (tests of the registration).
        self.paused = paused
        self.aps: BackgroundScheduler | None = None
        self._lease_until = 0.0  # monotonic: how long our lease surely lasts
        self._stop = threading.Event()

    @property
    def leading(self) -> bool:
        return self.aps is not None

    def step(self) -> bool:
        """One pass: take or renew the lease, start or stop the jobs. True
        while this instance is the leader. A database outage is waited out
        (the process must outlive it, like the workers)."""
        asked = time.monotonic()
        try:
            held = lease.renew(self.instance) if self.leading else lease.acquire(self.instance)
            if held:
                self._lease_until = asked + conf.scheduler_lease_seconds()
                if not self.leading:
                    self._lead()
        except DatabaseError as error:
            logger.error("Planificateur %s : base indisponible (%s)", self.instance, error)
            _close_quietly()
            held = None
        if self.leading and not held and (held is False or time.monotonic() >= self._lease_until):
            # Lost (taken over) or no longer sure to hold it: stop at once.
            self._follow()
        return self.leading

    def run(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self._stop.set())
        logger.info("Planificateur %s démarré", self.instance)
        try:
            while not self._stop.is_set():
                self.step()
                self._stop.wait(conf.scheduler_renew_seconds())
        finally:
            self.shutdown()

    def stop(self) -> None:
        self._stop.set()

    def shutdown(self) -> None:
        """Wait for the running jobs, then free the lease for the next one."""
        if self.aps is not None:
            self.aps.shutdown(wait=True)
            self.aps = None
            try:
                lease.release(self.instance)
            except DatabaseError as error:
                logger.error("Bail du planificateur non rendu (%s) : il expirera.", error)
        logger.info("Planificateur %s arrêté", self.instance)

    # --- becoming and ceasing to be the leader -------------------------------------

    def _lead(self) -> None:
        now = timezone.now()
        previous = _interrupt_orphan_runs(now)
        aps = BackgroundScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(conf.scheduler_threads())},
            # One run of a job at a time; runs missed while nobody led are
            # run once, however late.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        for job in periodic_jobs():
            state, _ = ScheduledJob.objects.get_or_create(name=job.name)
            due = state.next_run_at or now
            aps.add_job(
                _run_in_pool,
                IntervalTrigger(seconds=job.period, timezone=UTC),
                args=(job.name, self.instance),
                id=job.name,
                name=job.name,
                next_run_time=max(due, now),
            )
        aps.start(paused=self.paused)
        self.aps = aps
        record_event(
            JobsEvent.SCHEDULER_LEADING,
            actor_role="systeme",
            data={"instance": self.instance, "executions_interrompues": previous},
        )
        logger.warning("Planificateur %s : actif (bail pris)", self.instance)

    def _follow(self) -> None:
        logger.warning("Planificateur %s : bail perdu, plus aucune tâche lancée ici", self.instance)
        # Running jobs finish (their lease check already passed); no new one starts.
        self.aps.shutdown(wait=False)
        self.aps = None


def _interrupt_orphan_runs(now) -> int:
    """Runs left "en cours" by a leader that died: nothing will finish them."""
    runs = JobRun.objects.filter(status=RunStatus.EN_COURS)
    # A run by hand (`schedule --run`) belongs to no leader.
    return runs.exclude(instance__startswith=MANUAL_PREFIX).update(
        status=RunStatus.INTERROMPUE,
        finished_at=now,
        error="planificateur arrêté pendant l’exécution",
    )


def _close_quietly() -> None:
    with contextlib.suppress(DatabaseError):
        connection.close()
