"""Health of the job machinery: live workers per queue and the age of the
oldest task waiting in it. Read by `/readyz/taches` (monitoring, the load
balancer's stats page) and `manage.py task_status`."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, F, Min, When
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from . import conf
from .models import WorkerHeartbeat
from .reaper import expired_running


def queue_health(now=None) -> dict:
    now = now or timezone.now()
    seen_since = now - timedelta(seconds=conf.worker_seen_seconds())
    alive: dict[str, int] = {}
    for row in WorkerHeartbeat.objects.filter(seen_at__gte=seen_since).values_list(
        "queues", flat=True
    ):
        for name in row.split(","):
            alive[name] = alive.get(name, 0) + 1
    waiting = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .exclude(run_after__gt=now, run_after__lt=get_date_max())
        .values("queue_name")
        # A task waits from its enqueueing, or from its retry time.
        .annotate(
            since=Case(
                When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
            )
        )
        .annotate(oldest=Min("since"))
    )
    oldest = {row["queue_name"]: row["oldest"] for row in waiting}
    stuck = set(expired_running(now).values_list("queue_name", flat=True))
    failed = set(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(days=1)
        ).values_list("queue_name", flat=True)
    )
    report = {}
    for name in conf.queues():
        workers = alive.get(name, 0) + alive.get("*", 0)
        age = (now - oldest[name]).total_seconds() if name in oldest else 0
        problems = []
        if workers == 0:
            problems.append("aucun worker vivant")
        if age > conf.max_wait_seconds():
            problems.append(f"tâche en attente depuis {int(age)} s")
        if name in stuck:
            problems.append("tâche bloquée (bail expiré)")
        report[name] = {
            "workers": workers,
            "oldest_waiting_seconds": int(age),
            "failed_last_24h": name in failed,
            "status": "ok" if not problems else "erreur : " + ", ".join(problems),
        }
    return report
