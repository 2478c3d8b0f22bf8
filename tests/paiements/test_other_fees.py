import pytest

from titres.paiements import services
from titres.paiements.enums import LedgerKind, PaymentKind, PaymentState
from titres.paiements.models import LedgerEntry, Stamp
from titres.paiements.signals import payment_accepted

from .helpers import CARDS, pay

pytestmark = pytest.mark.django_db


def test_generic_card_payment_for_other_fees(client, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, payment, **kwargs):
        received.append(payment.metadata)

    payment_accepted.connect(listener)
    try:
        start = services.start_card_payment(
            amount_cents=27650,
            label="Taxes d’immatriculation AB-123-CD",
            email="garage@exemple.fr",
            idempotency_key="demarche:V-1:taxes",
            metadata={"demarche": "V-1"},
            actor=None,
        )
        assert start.payment.kind == PaymentKind.FRAIS
        assert start.redirect_url.startswith("/timbres/banque/")
        again = services.start_card_payment(
            amount_cents=27650,
            label="Taxes d’immatriculation AB-123-CD",
            email="garage@exemple.fr",
            idempotency_key="demarche:V-1:taxes",
            actor=None,
        )
        assert again.payment.pk == start.payment.pk
        pay(client, start.payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    finally:
        payment_accepted.disconnect(listener)
    start.payment.refresh_from_db()
    assert start.payment.state == PaymentState.ACCEPTE
    assert received == [{"demarche": "V-1"}]
    assert not Stamp.objects.exists()
    assert LedgerEntry.objects.filter(kind=LedgerKind.FRAIS, amount_cents=27650).count() == 1


def test_amount_must_be_positive():
    with pytest.raises(services.PaymentError):
        services.start_card_payment(
            amount_cents=0, label="x", email="a@b.fr", idempotency_key="k", actor=None
        )


def test_fee_result_page_links_back_with_the_reference(client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    start = services.start_card_payment(
        amount_cents=1100,
        label="Redevance d’acheminement",
        email="a@b.fr",
        idempotency_key="demarche:V-2:taxes",
        next_url="/demarches/V-2/",
        actor=None,
    )
    pay(client, start.payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    page = client.get(reverse("paiements:resultat", args=[start.payment.public_token]))
    content = page.content.decode()
    assert "Paiement accepté" in content
    assert f"/demarches/V-2/?paiement={start.payment.reference}" in content


def test_refused_fee_offers_to_retry_from_the_procedure(client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    start = services.start_card_payment(
        amount_cents=1100,
        label="Redevance",
        email="a@b.fr",
        idempotency_key="demarche:V-3:taxes",
        next_url="/demarches/V-3/",
        actor=None,
    )
    pay(client, start.payment, CARDS["refuse"], django_capture_on_commit_callbacks)
    content = client.get(
        reverse("paiements:resultat", args=[start.payment.public_token])
    ).content.decode()
    assert "Paiement refusé" in content
    assert 'href="/demarches/V-3/"' in content
