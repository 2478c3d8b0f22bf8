"""A vehicle draft deleted (never filed: the draft purge of the procedures
engine, a terminated professional's account) takes its record with it
(change of holder, certificate operation, new vehicle: held by PROTECT) and
never keeps money it took: the taxes paid on it go back to the card.

A card payment still pending when the draft goes cannot be cancelled at the
provider (the payments app has no such call): if the bank accepts it
afterwards, `refund_orphan_payment` gives it back, since it finds no file
(changement/payment.record_payment).

A draft paid but refused at filing (the code de cession spent meanwhile by
another file, a situation registered since: `record_payment`) lives on as a
draft; its taxes go back at once (`refund_unfiled_payment`) and the draft
must be paid again once corrected."""

from __future__ import annotations

import logging

from django.db import transaction
from django.urls import reverse

from titres.core.journal import record_event
from titres.core.notifications import notify_email, site_url
from titres.core.pdf import amount
from titres.paiements.enums import LedgerKind, PaymentKind, PaymentState
from titres.paiements.models import Payment

from .audit import VehiculesEvent
from .models import CertificateOperation, ChangeOfHolder
from .neuf.models import NewRegistration

logger = logging.getLogger(__name__)
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


def refund_unfiled_payment(*, model: type, record_id: int, reference: str, motif: str, actor=None):
    """The taxes of a draft paid but refused at filing (`record_payment`)
    go back to the card at once: the ledger and the provider
    (`refund_card_payment`, never twice), the record is no longer paid
    (`paid_at` emptied, a new payment attempt: the next « Valider » makes a
    new payment), `vehicules.unfiled_payment_refunded` and the payer's
    e-mail. Idempotent: False when there was nothing to refund (already
    refunded, the draft filed or deleted meanwhile, another payment)."""
    from titres.paiements.services import refund_card_payment

    with transaction.atomic():
        record = (
            model.objects.select_for_update(of=("self", "demarche"))
            .select_related("demarche__owner", "vehicle")
            .filter(pk=record_id)
            .first()
        )
        if (
            record is None
            or record.paid_at is None
            or record.payment_reference != reference
            or not record.demarche.is_draft
        ):
            return False
        demarche = record.demarche
        refund_card_payment(
            reference=reference,
            actor=actor,
            reason=f"Demande {demarche.number} non transmise après paiement",
        )
        record.paid_at = None
        record.payment_attempt += 1
        record.save(update_fields=["paid_at", "payment_attempt"])
        record_event(
            VehiculesEvent.UNFILED_PAYMENT_REFUNDED,
            actor=actor,
            target=demarche,
            data={"reference": reference, "montant": record.amount_cents, "motif": motif},
        )
        if demarche.owner_id is not None:
            notify_email(
                template="vehicules/emails/paiement_rembourse",
                to=demarche.owner.email,
                context={
                    "number": demarche.display_number,
                    "title": str(demarche.title),
                    "subject": getattr(record, "payment_subject", None)
                    or record.vehicle.plate_display,
                    "amount": amount(record.amount_cents),
                    "motif": motif,
                    "url": site_url(reverse("procedures:resume", args=[demarche.number])),
                },
            )
    return True


def refund_unfiled_after_commit(record, *, reference: str, motif: str, actor=None) -> None:
    """After commit and robust, as the orphans': a provider down leaves the
    record paid and `unfiled_payments` lists it for the catch-up command
    (`refund_withdrawn_taxes`)."""
    model, pk = type(record), record.pk

    def refund():
        refund_unfiled_payment(
            model=model, record_id=pk, reference=reference, motif=motif, actor=actor
        )

    transaction.on_commit(refund, robust=True)


def unfiled_payments():
    """(model, record, motif) of every draft still paid after its filing
    was refused (`vehicules.filing_refused_after_payment` for its current
    payment): the refunds that failed at the provider. A paid draft without
    that event is one being filed right now (`record_payment`), never
    refunded here."""
    from titres.core.models import AuditEvent

    refusals = AuditEvent.objects.filter(event=VehiculesEvent.FILING_REFUSED_AFTER_PAYMENT)
    for model in RECORD_MODELS:
        records = model.objects.filter(
            demarche__submitted_at__isnull=True, paid_at__isnull=False
        ).exclude(payment_reference="")
        for record in records.select_related("demarche").order_by("pk"):
            refusal = (
                refusals.filter(
                    object_type="procedures.demarche",
                    object_id=str(record.demarche.pk),
                    data__reference=record.payment_reference,
                )
                .order_by("-pk")
                .first()
            )
            if record.demarche.is_draft and refusal is not None:
                yield model, record, refusal.data.get("motif", "")
