"""Test cards of the local bank (shown on its page in DEBUG, documented in
docs/paiements.md). Every number passes the Luhn check; any other valid
number is refused as unknown."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

ACCEPTED = "accepte"
REFUSED = "refuse"
CHALLENGE = "3ds"
INSUFFICIENT_FUNDS = "provision"
TIMEOUT = "delai"


@dataclass(frozen=True)
class TestCard:
    number: str
    behaviour: str
    description: str

    @property
    def number_display(self) -> str:
        return " ".join(self.number[i : i + 4] for i in range(0, len(self.number), 4))


TEST_CARDS = [
    TestCard("4970100000000006", ACCEPTED, _("Paiement accepté sans authentification")),
    TestCard("4970100000000014", REFUSED, _("Paiement refusé par la banque")),
    TestCard("4970100000000022", CHALLENGE, _("Authentification 3-D Secure demandée (code)")),
    TestCard("4970100000000030", INSUFFICIENT_FUNDS, _("Refusé : provision insuffisante")),
    TestCard(
        "4970100000000048", TIMEOUT, _("Le serveur d’autorisation ne répond pas (délai dépassé)")
    ),
]
BY_NUMBER = {card.number: card for card in TEST_CARDS}
