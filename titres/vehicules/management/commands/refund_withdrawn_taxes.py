from django.core.management.base import BaseCommand, CommandError

from titres.vehicules.withdrawal import refund_withdrawals


class Command(BaseCommand):
    help = (
        "Rembourse les taxes des démarches véhicule déposées puis rejetées ou abandonnées qui "
        "ne l’ont jamais été (changements de titulaire abandonnés avant la migration 0010, "
        "remboursement échoué chez le prestataire), et celles des brouillons payés dont le dépôt a "
        "été refusé et dont le remboursement a échoué. Idempotente : relancée, elle ne rembourse "
        "rien deux fois."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Liste les démarches sans rembourser."
        )

    def handle(self, *args, dry_run=False, **options):
        done, failed = refund_withdrawals(dry_run=dry_run)
        for number in done:
            self.stdout.write(("À rembourser : " if dry_run else "Remboursée : ") + number)
        for line in failed:
            self.stderr.write("Échec : " + line)
        verb = "à rembourser" if dry_run else "remboursée(s)"
        self.stdout.write(f"{len(done)} démarche(s) {verb}, {len(failed)} échec(s).")
        if failed:
            raise CommandError(f"{len(failed)} remboursement(s) en échec.")
