from django.core.management.base import BaseCommand, CommandError

from titres.core.journal import seal_pending, verify_chain


class Command(BaseCommand):
    help = (
        "Scelle les entrées en attente puis recalcule la chaîne d'empreintes du journal "
        "d'audit et nomme la première entrée rompue."
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
        result = verify_chain()
        if not result.ok:
            seq = result.broken.sequence if result.broken else result.checked + 1
            raise CommandError(
                f"Journal rompu à l'entrée n° {seq} : {result.reason} "
                f"({result.checked} entrées vérifiées avant)."
            )
        pending = f" ; {result.pending} en attente de scellement" if result.pending else ""
        self.stdout.write(
            self.style.SUCCESS(f"Journal intègre : {result.checked} entrées vérifiées{pending}.")
        )
