from django.core.management.base import BaseCommand

from titres.partenaires.lifecycle import purge_call_logs


class Command(BaseCommand):
    help = (
        "Supprime les traces d’appels des jetons inutilisés depuis deux ans (seed 004 §4) "
        "et les appels sans jeton connu de plus de deux ans (à lancer chaque jour)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Traces d’appels supprimées : {purge_call_logs()}.")
