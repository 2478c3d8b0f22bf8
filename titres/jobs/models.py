"""What django-tasks-db does not keep: who holds a running task and until
when (the lease), how many times it was tried, and which workers are alive.

Kept beside DBTaskResult (one-to-one, deleted with it) rather than in a
fork of that model, so the library upgrades cleanly."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class TaskLease(models.Model):
    task = models.OneToOneField(
        DBTaskResult, primary_key=True, on_delete=models.CASCADE, related_name="lease"
    )
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)
    # None while the task is not running; a running task whose lease has
    # expired belongs to a dead worker and is reaped.
    expires_at = models.DateTimeField(_("bail jusqu’à"), null=True, blank=True, db_index=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("bail de tâche")
        verbose_name_plural = _("baux de tâches")

    def __str__(self):
        return f"{self.task_id} ({self.attempts})"


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    queues = models.CharField(_("files"), max_length=200)
    hostname = models.CharField(_("machine"), max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(_("démarré le"))
    seen_at = models.DateTimeField(_("vu le"), db_index=True)
    current_task = models.UUIDField(_("tâche en cours"), null=True, blank=True)

    class Meta:
        ordering = ["queues", "hostname", "pid"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self):
        return f"{self.hostname}:{self.pid} ({self.queues})"
