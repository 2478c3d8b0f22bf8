"""Periodic work, enqueued by the scheduler of the deployment (cron calling
`manage.py expire_stamps` works as well)."""

from django_tasks import task

from . import conf
from .services import expire_stamps


@task()
def expire_stamps_task() -> dict:
    expired = expire_stamps()
    abandoned = 0
    if conf.provider_code() == "local":
        from .localbank.bank import expire_sessions

        abandoned = expire_sessions()
    return {"timbres_expires": expired, "paiements_abandonnes": abandoned}
