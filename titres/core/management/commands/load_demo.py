from dataclasses import asdict
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from titres.core.audit import CoreEvent
from titres.core.demo import DemoCredential
from titres.core.journal import record_event
from titres.core.models import DemoLoad


def demo_modules() -> dict:
    modules = {}
    for app in settings.INSTALLED_APPS:
        if not app.startswith("titres."):
            continue
        try:
            module = import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        if hasattr(module, "load"):
            modules[app.removeprefix("titres.")] = module
    return modules


class Command(BaseCommand):
    help = (
        "Crée les données de démonstration une seule fois (ensuite laissées telles quelles) "
        "et affiche les comptes ; --reset les recharge et dit ce qu’il remet à zéro."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Charger aussi lorsque DEBUG est désactivé (comptes aux mots de passe publiés !).",
        )
        parser.add_argument(
            "--reset",
            nargs="*",
            metavar="APP",
            help="Recharger les données de démonstration (de ces applications, ou de toutes).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            # The demo creates an operator and agents whose passwords and
            # second factors are printed: never on a real deployment.
            raise CommandError(
                "Les données de démonstration ne se chargent qu’avec DEBUG=1 "
                "(ou --allow-production sur une plateforme de démonstration)."
            )
        modules = demo_modules()
        reset = options["reset"]
        if reset:
            unknown = sorted(set(reset) - set(modules))
            if unknown:
                raise CommandError(
                    f"Application sans données de démonstration : {', '.join(unknown)} "
                    f"(connues : {', '.join(modules)})."
                )
        to_reset = set(modules) if reset == [] else set(reset or [])
        credentials = []
        for app, module in modules.items():
            done = DemoLoad.objects.filter(app=app).first()
            if done is not None and app not in to_reset:
                credentials += [DemoCredential(**c) for c in done.credentials]
                continue
            with transaction.atomic():
                loaded = list(module.load() or [])
                DemoLoad.objects.update_or_create(
                    app=app,
                    defaults={
                        "loaded_at": timezone.now(),
                        "credentials": [asdict(c) for c in loaded],
                    },
                )
                record_event(
                    CoreEvent.DEMO_RESET if done else CoreEvent.DEMO_LOADED,
                    object_type="demo",
                    object_id=app,
                    data={"application": app, "comptes": [c.identifier for c in loaded]},
                )
            credentials += loaded
            if done is not None:
                names = ", ".join(c.identifier for c in loaded) or "aucun identifiant"
                self.stdout.write(
                    f"Réinitialisé — {app} : données de démonstration rechargées ; "
                    f"remis à leur valeur publiée : {names}."
                )
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
