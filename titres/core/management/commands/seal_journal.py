import signal
import time

from django.core.management.base import BaseCommand

from titres.core.journal import seal_pending


class Command(BaseCommand):
    help = (
        "Scelle dans la chaîne du journal d'audit les entrées écrites depuis le dernier "
        "scellement ; avec --follow, reste actif (le scelleur unique, à côté des workers)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--follow", action="store_true", help="Continuer jusqu'à SIGTERM ou SIGINT."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Secondes entre deux scellements quand rien n'est en attente (défaut 1).",
        )

    def handle(self, *args, **options):
        if not options["follow"]:
            count = seal_pending()
            self.stdout.write(f"{count} entrée(s) scellée(s).")
            return
        stopping = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.append(True))
        while not stopping:
            if not seal_pending():
                time.sleep(options["interval"])
