from django.core.management.base import BaseCommand

from titres.core.data_retention import purge_all


class Command(BaseCommand):
    help = (
        "Applique les règles de conservation des données personnelles (docs/retention.md) : "
        "supprime ou anonymise ce qui a dépassé sa durée, journalisé avec les nombres."
    )

    def handle(self, *args, **options):
        results = purge_all()
        for result in results:
            self.stdout.write(f"{result.rule.key} ({result.rule.action}) : {result.count}")
        total = sum(result.count for result in results)
        self.stdout.write(
            f"{total} ligne(s) supprimée(s) ou anonymisée(s), {len(results)} règle(s)."
        )
