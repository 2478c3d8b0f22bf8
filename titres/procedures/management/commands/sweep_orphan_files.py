from django.core.management.base import BaseCommand

from titres.procedures.sweep import sweep_document_files


class Command(BaseCommand):
    help = (
        "Supprime les fichiers de pièces qu’aucun document ne référence (après un délai de grâce) "
        "et signale les documents dont le fichier manque."
    )

    def add_arguments(self, parser):
        parser.add_argument("--grace-minutes", type=int, default=60)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, grace_minutes, dry_run, **options):
        report = sweep_document_files(grace_minutes=grace_minutes, dry_run=dry_run)
        verb = "à supprimer" if dry_run else "supprimé(s)"
        for name in report.orphans_deleted:
            self.stdout.write(f"orphelin {verb} : {name}")
        for line in report.missing_files:
            self.stderr.write(f"fichier manquant : {line}")
        self.stdout.write(
            f"{len(report.orphans_deleted)} fichier(s) orphelin(s) {verb}, "
            f"{len(report.orphans_recent)} récent(s) laissé(s), "
            f"{len(report.missing_files)} fichier(s) manquant(s)."
        )
