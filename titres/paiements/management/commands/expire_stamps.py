from django.core.management.base import BaseCommand

from titres.paiements import conf
from titres.paiements.services import expire_stamps


class Command(BaseCommand):
    help = (
        "Tâche périodique : expire les timbres de plus de 12 mois et, avec la banque locale, "
        "annule les paiements laissés en suspens sur la page de paiement."
    )

    def handle(self, *args, **options):
        expired = expire_stamps()
        abandoned = 0
        if conf.provider_code() == "local":
            from titres.paiements.localbank.bank import expire_sessions

            abandoned = expire_sessions()
        self.stdout.write(f"{expired} timbre(s) expiré(s), {abandoned} paiement(s) abandonné(s).")
