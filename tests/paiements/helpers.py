import uuid

from django.urls import reverse

from titres.paiements.localbank.cards import BY_NUMBER, TEST_CARDS
from titres.paiements.models import BankSession, Payment

CARDS = {card.behaviour: card.number for card in TEST_CARDS}
assert set(BY_NUMBER) == set(CARDS.values())


def open_purchase(
    client, *, purpose="permis_perte_vol", email="acheteur@exemple.fr", key=None, next_url=""
):
    """Submit the shop form; returns (response, payment)."""
    key = key or uuid.uuid4().hex
    response = client.post(
        reverse("paiements:boutique"),
        {"motif": purpose, "email": email, "cle": key, "next": next_url},
    )
    return response, Payment.objects.filter(idempotency_key=key).first()


def card_data(number, **overrides):
    from django.utils import timezone

    data = {
        "numero_carte": number,
        "mois": "12",
        "annee": str(timezone.localdate().year + 2),
        "cvv": "123",
    }
    data.update(overrides)
    return data


def bank_session(payment) -> BankSession:
    return BankSession.objects.get(reference=payment.reference)


def pay(client, payment, number, capture):
    """Pay on the local bank page (notifications delivered on commit)."""
    session = bank_session(payment)
    with capture(execute=True):
        response = client.post(reverse("paiements:banque", args=[session.token]), card_data(number))
    return response
