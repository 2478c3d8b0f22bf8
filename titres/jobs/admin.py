"""Operators see stuck and failed tasks and retry them (/gestion/)."""

from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from titres.core.admin import ReadOnlyAdmin

from .models import JobRun, RunStatus, ScheduledJob, SchedulerLease, WorkerHeartbeat
from .reaper import expired_running
from .schedule import human_period, periodic_jobs
from .services import NotRetryable, retry_task


class HealthFilter(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [
            ("bloquee", _("bloquées (bail expiré)")),
            ("echec", _("en échec")),
            ("nouvel_essai", _("en attente d’un nouvel essai")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "bloquee":
            return queryset.filter(pk__in=expired_running().values("pk"))
        if self.value() == "echec":
            return queryset.filter(status=TaskResultStatus.FAILED)
        if self.value() == "nouvel_essai":
            return queryset.filter(status=TaskResultStatus.READY, lease__attempts__gt=0)
        return queryset


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskAdmin(DBTaskResultAdmin):
    list_display = (
        "task_name",
        "status",
        "queue_name",
        "attempts",
        "lease_expires",
        "enqueued_at",
        "started_at",
        "finished_at",
        "last_error",
    )
    list_filter = (HealthFilter, "status", "queue_name")
    list_select_related = ("lease",)
    actions = ["retry"]

    @admin.display(description=_("tentatives"))
    def attempts(self, obj):
        lease = getattr(obj, "lease", None)
        return lease.attempts if lease else 0

    @admin.display(description=_("bail jusqu’à"))
    def lease_expires(self, obj):
        lease = getattr(obj, "lease", None)
        return lease.expires_at if lease and lease.expires_at else "—"

    @admin.display(description=_("dernière erreur"))
    def last_error(self, obj):
        lease = getattr(obj, "lease", None)
        return (lease.last_error[:120] if lease else "") or "—"

    @admin.action(description=_("Relancer les tâches sélectionnées"), permissions=["retry"])
    def retry(self, request, queryset):
        done = refused = 0
        for task_result in queryset:
            try:
                retry_task(task_result=task_result, actor=request.user, request=request)
                done += 1
            except NotRetryable:
                refused += 1
        if done:
            self.message_user(
                request,
                ngettext("%d tâche relancée.", "%d tâches relancées.", done) % done,
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%d tâche ignorée : ni en échec ni bloquée.",
                    "%d tâches ignorées : ni en échec ni bloquées.",
                    refused,
                )
                % refused,
                messages.WARNING,
            )

    def has_retry_permission(self, request):
        # Fields stay read-only (the library's admin); retrying is a change.
        return request.user.has_perm("django_tasks_database.change_dbtaskresult")


@admin.register(WorkerHeartbeat)
class WorkerAdmin(ReadOnlyAdmin):
    list_display = ("hostname", "pid", "queues", "started_at", "seen_at", "alive", "current_task")

    @admin.display(boolean=True, description=_("vivant"))
    def alive(self, obj):
        from . import conf

        return (timezone.now() - obj.seen_at).total_seconds() <= conf.worker_seen_seconds()


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    """Every run of a periodic job, failures first to the eye (filter)."""

    list_display = (
        "job",
        "status",
        "started_at",
        "finished_at",
        "duration",
        "instance",
        "short_error",
    )
    list_filter = ("status", "job")
    list_select_related = ("job",)
    search_fields = ("job__name", "error")
    date_hierarchy = "started_at"

    @admin.display(description=_("durée (s)"))
    def duration(self, obj):
        seconds = obj.duration_seconds
        return "—" if seconds is None else f"{seconds:.1f}"

    @admin.display(description=_("erreur"))
    def short_error(self, obj):
        return obj.error[:120] or "—"


@admin.register(ScheduledJob)
class ScheduledJobAdmin(ReadOnlyAdmin):
    list_display = ("name", "period", "next_run_at", "last_status", "last_run_at")

    def get_queryset(self, request):
        latest = JobRun.objects.filter(job=OuterRef("pk")).order_by("-started_at")
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_status=Subquery(latest.values("status")[:1]),
                last_run_at=Subquery(latest.values("started_at")[:1]),
            )
        )

    @admin.display(description=_("période"))
    def period(self, obj):
        periods = {job.name: job.period for job in periodic_jobs()}
        return human_period(periods[obj.name]) if obj.name in periods else _("désactivée")

    @admin.display(description=_("dernier résultat"))
    def last_status(self, obj):
        return dict(RunStatus.choices).get(obj.last_status, "—")

    @admin.display(description=_("dernière exécution"))
    def last_run_at(self, obj):
        return obj.last_run_at or "—"


@admin.register(SchedulerLease)
class SchedulerLeaseAdmin(ReadOnlyAdmin):
    list_display = ("name", "holder", "acquired_at", "expires_at")
