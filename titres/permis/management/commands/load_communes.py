from django.core.management.base import BaseCommand

from titres.permis.communes import load_reference_data


class Command(BaseCommand):
    help = (
        "Recharge la table des codes postaux et communes et celle des départements "
        "depuis titres/permis/data (voir scripts/build_communes.py)."
    )

    def handle(self, *args, **options):
        communes, departements = load_reference_data()
        self.stdout.write(
            self.style.SUCCESS(f"{communes} communes (code postal), {departements} départements.")
        )
