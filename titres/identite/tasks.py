"""Periodic work, enqueued by the deployment's scheduler (cron calling the
management commands works as well). Each is idempotent."""

from django_tasks import task

from .emails import send_reminders
from .services.appointments import release_stale_appointments
from .services.counter import flag_uncollected
from .services.predemandes import expire_predemandes


@task()
def release_stale_appointments_task() -> dict:
    return {"rendez_vous_liberes": release_stale_appointments()}


@task()
def expire_predemandes_task() -> dict:
    return {"predemandes_expirees": expire_predemandes()}


@task()
def send_reminders_task() -> dict:
    return {"rappels_envoyes": send_reminders()}


@task()
def flag_uncollected_titles_task() -> dict:
    return {"titres_non_retires": flag_uncollected()}
