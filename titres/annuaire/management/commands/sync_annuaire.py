from django.core.management.base import BaseCommand

from titres.annuaire import sync


class Command(BaseCommand):
    help = (
        "Reconstruit les lieux de l’annuaire issus des habilitations SIV et des lieux de "
        "rendez-vous des mairies (après un chargement en masse sans signaux)."
    )

    def handle(self, *args, **options):
        habilitations, points = sync.sync_all()
        self.stdout.write(
            f"{habilitations} habilitation(s) et {points} lieu(x) de rendez-vous synchronisés."
        )
