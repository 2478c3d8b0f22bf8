from django.conf import settings
from django.utils.formats import date_format

from titres.core.demo import DemoCredential

from .citizens import ensure_citizens, ensure_demo_application


def load() -> list[DemoCredential]:
    if not settings.DEVIDP_ENABLED:
        return []
    ensure_demo_application()
    return [
        DemoCredential(
            role="FranceConnect (local)",
            identifier=citizen.display_name,
            secret="—",  # noqa: S106 - no password: pick the person
            note=(
                f"bouton « S’identifier avec FranceConnect », né·e le "
                f"{date_format(citizen.birthdate, 'SHORT_DATE_FORMAT')}"
            ),
        )
        for citizen in ensure_citizens(refresh=True)
    ]
