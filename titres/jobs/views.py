from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .probe import queue_health
from .schedule_probe import schedule_report


@login_not_required
@never_cache
def task_probe(request):
    """200 when every queue has a live worker and nothing waits too long,
    503 naming the failing queue otherwise. Separate from /readyz: a dead
    worker must page an operator, not take every app server out of the
    load balancer (which would turn a late e-mail into an outage)."""
    try:
        queues = queue_health()
    except DatabaseError as error:
        return JsonResponse(
            {"status": "error", "database": f"erreur : {error.__class__.__name__}"}, status=503
        )
    ready = all(q["status"] == "ok" for q in queues.values())
    return JsonResponse(
        {"status": "ok" if ready else "error", "queues": queues}, status=200 if ready else 503
    )


@login_not_required
@never_cache
def scheduler_probe(request):
    """200 when a scheduler holds the lease and every periodic job ran on
    time and succeeded; 503 naming the failed or overdue job otherwise.
    Separate from /readyz for the same reason as the task probe."""
    try:
        report = schedule_report()
    except DatabaseError as error:
        return JsonResponse(
            {"status": "error", "database": f"erreur : {error.__class__.__name__}"}, status=503
        )
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
