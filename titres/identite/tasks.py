"""Periodic work, enqueued by the deployment's scheduler (cron calling the
management commands works as well). Each is idempotent."""

from django_tasks import task

from .services.appointments import release_stale_appointments
from .services.predemandes import expire_predemandes


@task()
def release_stale_appointments_task() -> dict:
    return {"rendez_vous_liberes": release_stale_appointments()}


@task()
def expire_predemandes_task() -> dict:
    return {"predemandes_expirees": expire_predemandes()}
