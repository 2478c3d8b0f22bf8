from django.core.management.base import BaseCommand

from titres.instruction.search import index_demarche
from titres.procedures.enums import Status
from titres.procedures.models import Demarche


class Command(BaseCommand):
    help = "Rebuild the agents' search index (DemarcheSearchEntry) from the démarches."

    def handle(self, *args, **options):
        count = 0
        for demarche in Demarche.objects.exclude(status=Status.BROUILLON).iterator(chunk_size=2000):
            index_demarche(demarche)
            count += 1
        self.stdout.write(f"{count} démarches indexées.")
