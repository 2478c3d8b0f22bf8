from django.core.management.base import BaseCommand, CommandError

from titres.procedures import conf
from titres.procedures.services import expire_drafts


class Command(BaseCommand):
    help = (
        "Tâche périodique : abandonne les brouillons sans modification depuis "
        "PROCEDURES_DRAFT_TTL_DAYS jours (90 par défaut) et libère ce qu’ils retenaient."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--jours",
            dest="days",
            type=int,
            default=None,
            help="Durée d’inactivité en jours (par défaut PROCEDURES_DRAFT_TTL_DAYS).",
        )

    def handle(self, *args, days=None, **options):
        days = conf.draft_ttl_days() if days is None else days
        if days <= 0:
            raise CommandError("La durée doit être un nombre de jours positif.")
        expired = expire_drafts(days=days)
        self.stdout.write(
            f"{len(expired)} brouillon(s) abandonné(s) après {days} jours sans modification."
        )
