"""Refund of an accepted payment of other fees (a rejected vehicle file's
taxes): through the provider, once, recorded in the ledger."""

import pytest

from titres.core.models import AuditEvent
from titres.paiements import services
from titres.paiements.enums import LedgerKind, PaymentState
from titres.paiements.models import BankSession, LedgerEntry
from titres.paiements.reconciliation import reconcile

from .helpers import CARDS, pay

pytestmark = pytest.mark.django_db


def _fee(client, capture, card="accepte", key="demarche:V-2:taxes"):
    start = services.start_card_payment(
        amount_cents=22876,
        label="Taxes d’immatriculation FG-123-HJ",
        email="acheteur@exemple.fr",
        idempotency_key=key,
        actor=None,
        return_path="/vehicules/",
    )
    assert start.redirect_url.startswith("/timbres/banque/")
    pay(client, start.payment, CARDS[card], capture)
    start.payment.refresh_from_db()
    return start.payment


def test_refund_of_other_fees(client, django_capture_on_commit_callbacks):
    payment = _fee(client, django_capture_on_commit_callbacks)
    services.refund_card_payment(reference=payment.reference, actor=None, reason="Demande rejetée")
    services.refund_card_payment(reference=payment.reference, actor=None)  # no-op
    entry = LedgerEntry.objects.get(kind=LedgerKind.REMBOURSEMENT_FRAIS)
    assert (entry.debit, entry.credit, entry.amount_cents) == ("recettes_frais", "banque", 22876)
    assert BankSession.objects.get(reference=payment.reference).refunded_cents == 22876
    assert AuditEvent.objects.filter(event="paiements.frais_refunded").count() == 1
    assert reconcile().ok


def test_only_an_accepted_fee_payment_is_refunded(client, django_capture_on_commit_callbacks):
    refused = _fee(client, django_capture_on_commit_callbacks, card="refuse")
    assert refused.state == PaymentState.REFUSE
    with pytest.raises(services.PaymentError) as error:
        services.refund_card_payment(reference=refused.reference, actor=None)
    assert error.value.messages == [
        "Seul un paiement accepté d’autres frais peut être remboursé ainsi."
    ]
    assert not LedgerEntry.objects.filter(kind=LedgerKind.REMBOURSEMENT_FRAIS).exists()
