import json

from django.core.management.base import BaseCommand, CommandError

from titres.jobs.probe import queue_health


class Command(BaseCommand):
    help = "Workers vivants et âge de la plus ancienne tâche en attente, par file (code 1 si un problème)."

    def handle(self, *args, **options):
        report = queue_health()
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        failing = [name for name, q in report.items() if q["status"] != "ok"]
        if failing:
            raise CommandError("Files en difficulté : " + ", ".join(failing))
