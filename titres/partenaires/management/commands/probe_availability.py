from django.core.management.base import BaseCommand

from titres.partenaires.availability import probe, probe_url


class Command(BaseCommand):
    help = (
        "Sonde la disponibilité du portail (point de contrôle /readyz) et enregistre le résultat "
        "(page de disponibilité, /api/v1/status ; à lancer chaque minute)."
    )

    def handle(self, *args, **options):
        result = probe()
        outcome = "ok" if result.ok else f"échec ({result.detail})"
        self.stdout.write(f"{probe_url()} : {outcome} en {result.latency_ms} ms.")
