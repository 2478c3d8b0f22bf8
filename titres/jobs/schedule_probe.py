"""Health of the periodic jobs: is a scheduler active, is any job late or
failing. Read by `/readyz/planificateur` and `manage.py schedule`."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from titres.core.json_values import iso

from . import conf, lease
from .models import JobRun, RunStatus, ScheduledJob
from .schedule import periodic_jobs


def schedule_report(now=None) -> dict:
    now = now or timezone.now()
    holder = lease.current()
    active = holder.active(now)
    states = {s.name: s for s in ScheduledJob.objects.all()}
    latest = JobRun.objects.filter(job=OuterRef("pk")).order_by("-started_at").values("pk")[:1]
    last_pks = ScheduledJob.objects.annotate(last=Subquery(latest)).values_list("last", flat=True)
    last = {
        run.job.name: run
        for run in JobRun.objects.filter(pk__in=[pk for pk in last_pks if pk]).select_related("job")
    }
    jobs = {}
    for job in periodic_jobs():
        state = states.get(job.name)
        run = last.get(job.name)
        next_run = state.next_run_at if state else None
        problems = []
        if run is not None and run.status in (RunStatus.ECHOUEE, RunStatus.INTERROMPUE):
            problems.append(f"dernière exécution {run.get_status_display()} : {run.error[:200]}")
        late = (now - next_run).total_seconds() if next_run else 0
        if late > conf.scheduler_grace_seconds():
            problems.append(f"en retard de {int(late)} s")
        jobs[job.name] = {
            "period_seconds": job.period,
            "next_run": iso(next_run),
            "last_run": iso(run.started_at) if run else None,
            "last_status": run.status if run else None,
            "last_error": run.error[:200] if run else "",
            "status": "ok" if not problems else "erreur : " + ", ".join(problems),
        }
    ok = active and all(j["status"] == "ok" for j in jobs.values())
    return {
        "status": "ok" if ok else "error",
        "scheduler": {
            "instance": holder.holder if active else None,
            "lease_expires": iso(holder.expires_at) if active else None,
            "status": "ok" if active else "erreur : aucun planificateur actif",
        },
        "jobs": jobs,
    }
