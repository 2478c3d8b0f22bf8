from django.core.management.base import BaseCommand, CommandError

from titres.core.checkpoints import CheckpointError, read_checkpoints
from titres.core.journal import seal_pending, verify_chain


class Command(BaseCommand):
    help = (
        "Scelle les entrées en attente, recalcule la chaîne d'empreintes du journal d'audit, "
        "la compare aux points de contrôle signés et nomme la première entrée rompue."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Vérifier seulement (les entrées en attente de scellement sont comptées).",
        )

    def handle(self, *args, **options):
        if not options["no_seal"]:
            seal_pending()
        try:
            checkpoints = read_checkpoints()
        except CheckpointError as error:
            raise CommandError(f"Point de contrôle refusé : {error}.") from error
        result = verify_chain(checkpoints=checkpoints)
        if not result.ok:
            message = (
                f"Journal rompu à l'entrée n° {result.broken_sequence} : {result.reason} "
                f"({result.checked} entrées vérifiées avant)"
            )
            if result.first_untrusted is not None:
                good = result.last_good
                message += (
                    f" ; dernier point de contrôle correct : n° {good.sequence} ({good.name})"
                    if good
                    else " ; aucun point de contrôle correct"
                )
            raise CommandError(message + ".")
        pending = f" ; {result.pending} en attente de scellement" if result.pending else ""
        anchored = (
            f" ; {result.matched} points de contrôle signés concordants "
            f"(dernier : n° {result.last_good.sequence})"
            if result.last_good
            else " ; aucun point de contrôle signé"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Journal intègre : {result.checked} entrées vérifiées{pending}{anchored}."
            )
        )
