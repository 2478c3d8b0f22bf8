from django.core.management.base import BaseCommand

from titres.accounts.services.suspension import restore_expired_suspensions


class Command(BaseCommand):
    help = (
        "Lève les suspensions temporaires arrivées à leur terme (à lancer périodiquement, "
        "par exemple toutes les 5 minutes par cron ou un timer systemd)."
    )

    def handle(self, *args, **options):
        count = restore_expired_suspensions()
        self.stdout.write(f"{count} compte(s) rétabli(s).")
