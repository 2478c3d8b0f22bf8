from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (idempotent) et affiche les comptes de démonstration."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Charger aussi lorsque DEBUG est désactivé (comptes aux mots de passe publiés !).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            # The demo creates an operator and agents whose passwords and
            # second factors are printed: never on a real deployment.
            raise CommandError(
                "Les données de démonstration ne se chargent qu’avec DEBUG=1 "
                "(ou --allow-production sur une plateforme de démonstration)."
            )
        credentials = []
        for app in settings.INSTALLED_APPS:
            if not app.startswith("titres."):
                continue
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            if not hasattr(module, "load"):
                continue
            with transaction.atomic():
                credentials.extend(module.load() or [])
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Comptes de démonstration — {settings.SITE_URL}/"))
        width = max((len(c.role) for c in credentials), default=10)
        for c in credentials:
            line = f"  {c.role.ljust(width)}  {c.identifier}  /  {c.secret}"
            if c.note:
                line += f"   ({c.note})"
            self.stdout.write(line)
        if settings.DEBUG and settings.DEV_MAILBOX_ENABLED:
            self.stdout.write(f"  Courriels envoyés : {settings.SITE_URL}/dev/mailbox/")
        self.stdout.write("")
