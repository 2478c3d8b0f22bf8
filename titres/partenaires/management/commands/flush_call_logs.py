from django.conf import settings
from django.core.management.base import BaseCommand

from titres.partenaires import calllog


class Command(BaseCommand):
    help = (
        "Écrit dans la table des appels les lignes du journal des appels de l’API en attente "
        "dans Redis, par lots de 1 000 (lancée chaque minute par le planificateur ; sans "
        "REDIS_URL, les appels sont écrits directement et il n’y a rien à faire)."
    )

    def handle(self, *args, **options):
        if not settings.REDIS_URL:
            self.stdout.write("Pas de REDIS_URL : chaque appel est écrit directement.")
            return
        written = calllog.flush()
        self.stdout.write(f"Appels écrits : {written} ; encore en attente : {calllog.pending()}.")
