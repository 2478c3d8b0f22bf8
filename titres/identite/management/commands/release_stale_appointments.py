from django.core.management.base import BaseCommand

from ...services.appointments import release_stale_appointments


class Command(BaseCommand):
    help = "Libère les rendez-vous passés ni honorés ni marqués absents (numéros à nouveau réservables)."

    def handle(self, *args, **options):
        count = release_stale_appointments()
        self.stdout.write(f"{count} rendez-vous libéré(s).")
