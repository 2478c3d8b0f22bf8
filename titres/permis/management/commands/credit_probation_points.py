from django.core.management.base import BaseCommand

from ...probation import credit_probation_points


class Command(BaseCommand):
    help = "Crédite les points annuels des permis probatoires à chaque anniversaire (une fois)."

    def handle(self, *args, **options):
        self.stdout.write(
            f"{credit_probation_points()} anniversaire(s) de permis probatoire traité(s)."
        )
