"""`manage.py run_scheduler`: the periodic jobs' scheduler (titres/jobs/scheduler.py).

Start one beside each app server or worker set: only the holder of the
lease runs jobs, the others wait to take over."""

import logging

from django.core.management.base import BaseCommand

from titres.jobs.scheduler import Scheduler


class Command(BaseCommand):
    help = (
        "Lance le planificateur des tâches périodiques (un seul actif à la fois, "
        "grâce à un bail en base ; les autres prennent le relais s’il s’arrête)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--instance",
            default="",
            help="Nom de cette instance dans le bail (par défaut machine:pid:aléa).",
        )

    def handle(self, *args, instance, **options):
        # APScheduler logs every job added, started and finished at INFO; the
        # scheduler's own lines (titres.jobs.scheduler) say what matters.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        Scheduler(instance or None).run()
