import contextlib
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection

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
        pause = 0.0
        while not stopping:
            try:
                sealed = seal_pending()
                if anchoring and time.monotonic() >= next_checkpoint:
                    write_checkpoint()
                    next_checkpoint = time.monotonic() + settings.JOURNAL_CHECKPOINT_INTERVAL
            except DatabaseError as error:
                # The one sealer outlives a database outage: entries written
                # meanwhile are sealed when the database is back.
                pause = min(OUTAGE_PAUSE_MAX, max(1.0, pause * 2))
                self.stderr.write(
                    f"Base de données indisponible ({error.__class__.__name__}) : "
                    f"nouvel essai dans {pause:.0f} s."
                )
                drop_connection()
                _sleep_unless(stopping, pause)
                continue
            pause = 0.0
            if not sealed:
                time.sleep(options["interval"])


OUTAGE_PAUSE_MAX = 10.0


def drop_connection() -> None:
    """Forget the broken connection: the next try opens a new one."""
    with contextlib.suppress(DatabaseError):
        connection.close()


def _sleep_unless(stopping: list, seconds: float) -> None:
    # In small steps, so that TERM during an outage stops the sealer at once.
    deadline = time.monotonic() + seconds
    while not stopping and time.monotonic() < deadline:
        time.sleep(min(0.2, seconds))
