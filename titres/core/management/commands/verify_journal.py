from django.core.management.base import BaseCommand, CommandError

from titres.core.journal import verify_chain


class Command(BaseCommand):
    help = "Recalcule la chaîne d'empreintes du journal d'audit et nomme la première entrée rompue."

    def handle(self, *args, **options):
        result = verify_chain()
        if not result.ok:
            seq = result.broken.sequence if result.broken else result.checked + 1
            raise CommandError(
                f"Journal rompu à l'entrée n° {seq} : {result.reason} "
                f"({result.checked} entrées vérifiées avant)."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Journal intègre : {result.checked} entrées vérifiées.")
        )
