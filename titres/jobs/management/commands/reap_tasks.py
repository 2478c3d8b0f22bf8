from django.core.management.base import BaseCommand

from titres.jobs.reaper import reap_expired


class Command(BaseCommand):
    help = "Remet en file les tâches dont le worker a cessé de renouveler le bail."

    def handle(self, *args, **options):
        reaped = reap_expired()
        for item in reaped:
            self.stdout.write(
                f"{item.task_id} {item.task_path} (worker {item.worker_id}, "
                f"{item.attempts} essai(s)) : {item.outcome}"
            )
        self.stdout.write(f"{len(reaped)} tâche(s) reprise(s).")
