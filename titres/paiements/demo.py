"""Demo data: a few available stamps of each purpose, and the test cards."""

from titres.core.demo import DemoCredential

from .enums import STAMP_AMOUNTS_CENTS, StampPurpose, StampState
from .localbank.cards import TEST_CARDS
from .models import Stamp, format_amount
from .services import sell_stamp_at_counter

DEMO_EMAIL = "timbres.demo@titres.localhost"
PER_PURPOSE = 3


def load() -> list[DemoCredential]:
    credentials = []
    for purpose in StampPurpose:
        available = Stamp.objects.filter(
            email=DEMO_EMAIL, purpose=purpose, state=StampState.DISPONIBLE
        )
        for _ in range(PER_PURPOSE - available.count()):
            sell_stamp_at_counter(purpose=purpose, email=DEMO_EMAIL, actor=None)
        stamp = available.order_by("id").first()
        role = (
            "timbre fiscal (25 €, permis)"
            if purpose == StampPurpose.PERMIS_PERTE_VOL
            else f"timbre fiscal ({format_amount(STAMP_AMOUNTS_CENTS[purpose])}, {purpose.label})"
        )
        credentials.append(
            DemoCredential(
                role=role,
                identifier=stamp.number,
                secret="",
                note=f"disponible ; e-mail d’achat {DEMO_EMAIL} (pour un remboursement)",
            )
        )
    for card in TEST_CARDS:
        credentials.append(
            DemoCredential(
                role="carte de test (banque locale)",
                identifier=card.number_display,
                secret="expiration future, CVV 123",  # noqa: S106 - public test card
                note=str(card.description),
            )
        )
    return credentials
