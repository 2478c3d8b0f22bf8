from django.core.management.base import BaseCommand

from ...services.counter import flag_uncollected


class Command(BaseCommand):
    help = "Signale les titres disponibles en mairie non retirés depuis plus de trois mois."

    def handle(self, *args, **options):
        self.stdout.write(f"{flag_uncollected()} titre(s) signalé(s).")
