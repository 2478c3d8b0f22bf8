from django.core.management.base import BaseCommand, CommandError

from titres.paiements.models import format_amount
from titres.paiements.reconciliation import reconcile


class Command(BaseCommand):
    help = (
        "Rapproche paiements, timbres et grand livre : paiements = timbres émis + autres frais, "
        "chaque timbre dans un seul état. Code de sortie non nul et coupable nommé sinon."
    )

    def handle(self, *args, **options):
        report = reconcile()
        summary = (
            f"{report.payments} paiement(s) acceptés pour {format_amount(report.payments_cents)} = "
            f"timbres émis {format_amount(report.stamps_issued_cents)} + autres frais "
            f"{format_amount(report.fees_cents)} ; {report.stamps} timbre(s) vérifié(s)."
        )
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(report.problems)} anomalie(s) : {report.problems[0]}"
                + (" (voir la liste ci-dessus)" if len(report.problems) > 1 else "")
            )
        self.stdout.write(self.style.SUCCESS(f"Rapprochement correct : {summary}"))
