from django.core.management.base import BaseCommand

from ...services.predemandes import expire_predemandes


class Command(BaseCommand):
    help = "Passe en « expirée » les pré-demandes dépassant leur durée de validité."

    def handle(self, *args, **options):
        count = expire_predemandes()
        self.stdout.write(f"{count} pré-demande(s) expirée(s).")
