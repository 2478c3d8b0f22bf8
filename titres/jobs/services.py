"""What operators do to tasks (from the admin or `manage.py retry_tasks`)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from titres.core.journal import record_event

from .audit import JobsEvent
from .models import TaskLease
from .reaper import expired_running


class NotRetryable(Exception):
    pass


@transaction.atomic
def retry_task(*, task_result: DBTaskResult, actor, request=None) -> DBTaskResult:
    """Put a failed task (or a running one whose lease has expired) back
    in its queue now, with a fresh count of attempts."""
    locked = DBTaskResult.objects.select_for_update().get(pk=task_result.pk)
    stuck = expired_running().filter(pk=locked.pk).exists()
    if locked.status != TaskResultStatus.FAILED and not stuck:
        raise NotRetryable(_("Seule une tâche en échec ou bloquée peut être relancée."))
    previous = locked.status
    DBTaskResult.objects.filter(pk=locked.pk).update(
        status=TaskResultStatus.READY, run_after=timezone.now(), finished_at=None
    )
    TaskLease.objects.update_or_create(
        task_id=locked.pk, defaults={"attempts": 0, "expires_at": None}
    )
    record_event(
        JobsEvent.TASK_RETRIED,
        actor=actor,
        request=request,
        target=locked,
        data={"tache": locked.task_path, "statut_precedent": previous},
    )
    locked.refresh_from_db()
    return locked
