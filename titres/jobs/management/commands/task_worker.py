"""`manage.py task_worker --queue-name mail`: the library's `db_worker`
with leases, retries and outage survival (titres/jobs/worker.py)."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from titres.jobs.worker import LeasedWorker


class Command(DbWorkerCommand):
    help = "Exécute les tâches de fond d’une ou plusieurs files, avec bail et nouveaux essais."

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, batch, **options):
        self.configure_logging(verbosity)
        options.pop("skip_checks", None)
        for key in ("settings", "pythonpath", "traceback", "no_color", "force_color"):
            options.pop(key, None)
        worker = LeasedWorker(
            queue_names=queue_name.split(","),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            batch=batch,
            **options,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
