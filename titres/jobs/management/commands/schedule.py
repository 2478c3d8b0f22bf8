"""`manage.py schedule`: the periodic jobs, their period, next and last run."""

import socket
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from titres.jobs.models import RunStatus
from titres.jobs.schedule import human_period, job_named, periodic_jobs
from titres.jobs.schedule_probe import schedule_report
from titres.jobs.scheduler import MANUAL_PREFIX, run_job


def _local(iso):
    if not iso:
        return "—"
    return timezone.localtime(datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M:%S")


class Command(BaseCommand):
    help = (
        "Liste les tâches périodiques : période, prochaine et dernière exécution, résultat "
        "(--check : code 1 si une tâche est en échec ou en retard, ou si aucun planificateur "
        "n’est actif ; --run TÂCHE : l’exécuter maintenant)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--run", metavar="TÂCHE", default="")

    def handle(self, *args, check, run, **options):
        if run:
            self._run_now(run)
            return
        report = schedule_report()
        scheduler = report["scheduler"]
        if scheduler["instance"]:
            self.stdout.write(
                f"Planificateur actif : {scheduler['instance']} "
                f"(bail jusqu’à {_local(scheduler['lease_expires'])})"
            )
        else:
            self.stdout.write("Aucun planificateur actif (lancez manage.py run_scheduler).")
        rows = [("tâche", "période", "prochaine", "dernière", "résultat")]
        labels = dict(RunStatus.choices)
        for job in periodic_jobs():
            item = report["jobs"][job.name]
            outcome = str(labels.get(item["last_status"], "jamais exécutée"))
            if item["status"] != "ok":
                outcome += f" — {item['status']}"
            rows.append(
                (
                    job.name,
                    human_period(job.period),
                    _local(item["next_run"]),
                    _local(item["last_run"]),
                    outcome,
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[4]]).rstrip())
        if check and report["status"] != "ok":
            failing = [name for name, item in report["jobs"].items() if item["status"] != "ok"]
            if not scheduler["instance"]:
                failing.insert(0, "aucun planificateur actif")
            raise CommandError("Tâches planifiées en difficulté : " + ", ".join(failing))

    def _run_now(self, name):
        try:
            job = job_named(name)
        except KeyError as error:
            known = ", ".join(j.name for j in periodic_jobs())
            raise CommandError(f"Tâche inconnue « {name} » (tâches : {known}).") from error
        result = run_job(job, instance=f"{MANUAL_PREFIX}{socket.gethostname()}", check_lease=False)
        self.stdout.write(result.output.rstrip())
        if result.status != RunStatus.REUSSIE:
            raise CommandError(f"{job.name} : {result.error}")
        self.stdout.write(f"{job.name} : {result.get_status_display()}.")
