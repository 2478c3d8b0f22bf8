from django.core.management.base import BaseCommand

from titres.partenaires.retirements import send_reminders


class Command(BaseCommand):
    help = (
        "Rappelle par courriel, un mois avant, chaque retrait programmé d’un point d’accès "
        "de l’API aux partenaires qui l’ont appelé ces 90 derniers jours (une seule fois)."
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"Rappels de retrait envoyés : {sent} partenaire(s).")
