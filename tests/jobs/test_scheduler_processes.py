"""The scheduler's single leader, proven with real concurrency on PostgreSQL:
threads racing for the lease, and two `manage.py run_scheduler` processes
of which one is killed with SIGKILL.

Needs PostgreSQL (the processes reach the test database, which an in-memory
SQLite database is not): DATABASE_URL=postgres://... pytest tests/jobs"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from titres.jobs import lease
from titres.jobs.models import JobRun, RunStatus
from titres.jobs.schedule import DEFAULT_JOBS

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrence réelle : nécessite PostgreSQL (DATABASE_URL=postgres://...)",
    ),
]


def test_threads_racing_for_an_expired_lease_make_one_leader(settings):
    settings.SCHEDULER_LEASE_SECONDS = 30
    lease.acquire("seed")
    lease.release("seed")
    barrier = threading.Barrier(12)
    winners = []

    def contend(name):
        try:
            barrier.wait(timeout=10)
            if lease.acquire(name):
                winners.append(name)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=contend, args=(f"i{n}",)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1
    assert lease.current().holder == winners[0]


def _database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start(instance: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler", "--instance", instance],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(predicate, what, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(what)


def _runs_by(instance: str) -> int:
    return JobRun.objects.filter(instance=instance, status=RunStatus.REUSSIE).count()


def test_one_process_leads_and_the_other_takes_over_after_a_kill():
    # Only the reaper, every second, so runs come quickly; the lease lives 2 s.
    periods = ";".join(f"{job.name}={1 if job.name == 'reap_tasks' else 0}" for job in DEFAULT_JOBS)
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "SCHEDULER_LEASE_SECONDS": "2",
        "SCHEDULER_PERIODS": periods,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    procs = {name: _start(name, env) for name in ("s1", "s2")}
    try:
        leader = _wait_for(
            lambda: lease.current().active() and lease.current().holder,
            "aucun planificateur ne prend le bail",
        )
        follower = "s2" if leader == "s1" else "s1"
        _wait_for(lambda: _runs_by(leader) >= 2, "le planificateur actif ne lance rien")
        assert _runs_by(follower) == 0

        procs[leader].send_signal(signal.SIGKILL)
        procs[leader].wait(timeout=10)
        killed_at_runs = _runs_by(leader)
        _wait_for(lambda: lease.current().holder == follower, "pas de reprise après le kill")
        _wait_for(lambda: _runs_by(follower) >= 1, "le successeur ne lance rien")
        assert _runs_by(leader) == killed_at_runs

        procs[follower].send_signal(signal.SIGTERM)
        assert procs[follower].wait(timeout=30) == 0
        # A clean stop gives the lease back at once.
        assert not lease.current().active()
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
