import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from titres.core.checkpoints import checkpoints_enabled, write_checkpoint
from titres.core.journal import seal_pending


class Command(BaseCommand):
    help = (
        "Scelle dans la chaîne du journal d'audit les entrées écrites depuis le dernier "
        "scellement ; avec --follow, reste actif (le scelleur unique, à côté des workers) et "
        "écrit un point de contrôle signé toutes les JOURNAL_CHECKPOINT_INTERVAL secondes."
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
        anchoring = checkpoints_enabled()
        if not anchoring:
            self.stderr.write(
                "JOURNAL_CHECKPOINT_KEY absente : aucun point de contrôle signé ne sera écrit."
            )
        next_checkpoint = 0.0
        while not stopping:
            if not seal_pending():
                time.sleep(options["interval"])
            if anchoring and time.monotonic() >= next_checkpoint:
                write_checkpoint()
                next_checkpoint = time.monotonic() + settings.JOURNAL_CHECKPOINT_INTERVAL
