from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from titres.core.checkpoints import (
    CheckpointError,
    generate_key,
    key_id,
    public_pem,
    write_checkpoint,
)
from titres.core.journal import seal_pending


class Command(BaseCommand):
    help = (
        "Scelle les entrées en attente puis écrit un point de contrôle signé de la tête du "
        "journal d'audit (hors de la base de données)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--generate-key",
            metavar="CHEMIN",
            help="Créer une nouvelle clé de signature Ed25519 (fichier 0600) et afficher la "
            "clé publique, sans écrire de point de contrôle.",
        )

    def handle(self, *args, **options):
        if options["generate_key"]:
            path = Path(options["generate_key"])
            try:
                public = generate_key(path)
            except FileExistsError as error:
                raise CommandError(f"{path} existe déjà : aucune clé écrasée.") from error
            self.stdout.write(f"Clé privée écrite dans {path} (empreinte {key_id(public)}).")
            self.stdout.write(public_pem(public))
            return
        seal_pending()
        try:
            checkpoint = write_checkpoint()
        except CheckpointError as error:
            raise CommandError(str(error)) from error
        if checkpoint is None:
            self.stdout.write("Tête du journal inchangée depuis le dernier point de contrôle.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Point de contrôle {checkpoint.name} : {checkpoint.sequence} entrées, "
                f"tête {checkpoint.hash[:16]}…"
            )
        )
