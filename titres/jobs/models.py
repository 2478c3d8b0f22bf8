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


class SchedulerLease(models.Model):
    """Who runs the periodic jobs (titres/jobs/scheduler.py): one row, taken
    and renewed by a compare-and-set UPDATE, so that with several servers
    exactly one scheduler is active; another takes over once it expires."""

    name = models.CharField(max_length=50, primary_key=True)
    holder = models.CharField(_("instance"), max_length=200, blank=True)
    acquired_at = models.DateTimeField(_("pris le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)

    class Meta:
        verbose_name = _("bail du planificateur")
        verbose_name_plural = _("bail du planificateur")

    def __str__(self):
        return self.holder or "—"


class ScheduledJob(models.Model):
    """The persistent state of one periodic job: when it is due next, so a
    restarted or new scheduler keeps the rhythm instead of starting over."""

    name = models.CharField(_("tâche"), max_length=64, unique=True)
    next_run_at = models.DateTimeField(_("prochaine exécution"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tâche planifiée")
        verbose_name_plural = _("tâches planifiées")

    def __str__(self):
        return self.name


class RunStatus(models.TextChoices):
    EN_COURS = "en_cours", _("en cours")
    REUSSIE = "reussie", _("réussie")
    ECHOUEE = "echouee", _("en échec")
    INTERROMPUE = "interrompue", _("interrompue")


class JobRun(models.Model):
    job = models.ForeignKey(ScheduledJob, on_delete=models.CASCADE, related_name="runs")
    instance = models.CharField(_("instance"), max_length=200)
    started_at = models.DateTimeField(_("début"))
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    status = models.CharField(
        _("résultat"), max_length=12, choices=RunStatus.choices, default=RunStatus.EN_COURS
    )
    output = models.TextField(_("sortie"), blank=True)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["job", "-started_at"], name="jobs_run_job_started")]
        verbose_name = _("exécution planifiée")
        verbose_name_plural = _("exécutions planifiées")

    def __str__(self):
        return f"{self.job.name} {self.started_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
