from django.core.management.base import BaseCommand

from titres.partenaires.lifecycle import send_expiry_notices


class Command(BaseCommand):
    help = (
        "Prévient par courriel les partenaires dont un jeton expire dans 90, 30 ou 7 jours "
        "(une fois par seuil ; à lancer chaque jour)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Avis d’expiration envoyés : {send_expiry_notices()}.")
