"""Periodic work of the engine, enqueued by the deployment's scheduler
(cron calling `manage.py expire_drafts` works as well)."""

from django_tasks import task

from .services import expire_drafts


@task()
def expire_drafts_task(days: int | None = None) -> dict:
    expired = expire_drafts(days=days)
    return {"brouillons_abandonnes": len(expired), "numeros": expired}
