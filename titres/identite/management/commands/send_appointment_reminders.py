from django.core.management.base import BaseCommand

from ...emails import send_reminders


class Command(BaseCommand):
    help = "Envoie le rappel des rendez-vous ayant lieu dans deux jours (une seule fois chacun)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_reminders()} rappel(s) envoyé(s).")
