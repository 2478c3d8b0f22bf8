"""A vehicle draft deleted (never filed: the draft purge of the procedures
engine, a terminated professional's account) takes its record with it
(change of holder, certificate operation, new vehicle: held by PROTECT) and
never keeps money it took: the taxes paid on it go back to the card.

A card payment still pending when the draft goes cannot be cancelled at the
provider (the payments app has no such call): if the bank accepts it
afterwards, `refund_orphan_payment` gives it back, since it finds no file
(changement/payment.record_payment)."""

from __future__ import annotations

from django.db import transaction

from titres.core.journal import record_event
from titres.paiements.enums import LedgerKind, PaymentKind, PaymentState
from titres.paiements.models import Payment

from .audit import VehiculesEvent
from .models import CertificateOperation, ChangeOfHolder
from .neuf.models import NewRegistration

RECORD_MODELS = (ChangeOfHolder, CertificateOperation, NewRegistration)


def _refundable(payments):
    return payments.filter(state=PaymentState.ACCEPTE, kind=PaymentKind.FRAIS).exclude(
        ledger_entries__kind=LedgerKind.REMBOURSEMENT_FRAIS
    )


def refund_orphan_payment(payment: Payment, *, reason: str, actor=None) -> bool:
    """Give back an accepted payment of taxes that no file will use (its
    draft was deleted, or the file moved on to another payment attempt).
    Idempotent: False when there was nothing to refund."""
    from titres.paiements.services import refund_card_payment

    with transaction.atomic():
        if not _refundable(Payment.objects.filter(pk=payment.pk)).exists():
            return False
        refund_card_payment(reference=payment.reference, actor=actor, reason=reason)
        record_event(
            VehiculesEvent.ORPHAN_PAYMENT_REFUNDED,
            actor=actor,
            object_type="paiements.payment",
            object_id=payment.reference,
            data={
                "reference": payment.reference,
                "montant": payment.amount_cents,
                "demarche": (payment.metadata or {}).get("demarche", ""),
                "motif": reason,
            },
        )
    return True


def refund_orphan_after_commit(payment: Payment, *, reason: str, actor=None) -> None:
    # After commit: the refund (a provider call) never rolls back the
    # settlement or the deletion that made the payment an orphan.
    transaction.on_commit(
        lambda: refund_orphan_payment(payment, reason=reason, actor=actor), robust=True
    )


def release_draft(demarche, *, actor=None) -> None:
    """Before a never-filed vehicle draft is deleted, in the deletion's
    transaction: its record goes, and every payment of taxes accepted for
    it and not refunded (any attempt, e.g. paid but refused at filing
    because the code was spent meanwhile) is refunded after commit."""
    for model in RECORD_MODELS:
        model.objects.filter(demarche=demarche).delete()
    reason = f"Brouillon {demarche.number} supprimé sans avoir été déposé"
    for payment in _refundable(Payment.objects.filter(metadata__demarche=demarche.number)):
        refund_orphan_after_commit(payment, reason=reason, actor=actor)
