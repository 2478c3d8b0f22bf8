from django.core.management.base import BaseCommand
from django.utils import timezone

from titres.core.data_retention import apply
from titres.partenaires.retention import CALL_LOG_RULE


class Command(BaseCommand):
    help = (
        "Supprime les traces d’appels des jetons inutilisés depuis deux ans (seed 004 §4) "
        "et les appels sans jeton connu de plus de deux ans (la règle de conservation "
        "partenaires.CallLog, que purge_personal_data applique chaque jour)."
    )

    def handle(self, *args, **options):
        # Through the retention rule, so a run by hand is journaled exactly
        # as the scheduled one (core.retention_purged with the count).
        result = apply(CALL_LOG_RULE, now=timezone.now())
        self.stdout.write(f"Traces d’appels supprimées : {result.count}.")
