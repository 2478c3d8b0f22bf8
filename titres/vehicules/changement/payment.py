"""Payment of the taxes by card through the payments app's provider
interface (local bank in development: 3-D Secure, idempotency, signed
server-to-server notification).

The bank's notification records the payment and files the démarche even
if the buyer closes the tab: seed 003's "Cliquer ici pour enregistrer
votre paiement" only confirms it (`record_payment` is idempotent)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core.journal import record_event
from titres.paiements.enums import LedgerKind, PaymentState
from titres.paiements.models import Payment
from titres.paiements.services import start_card_payment
from titres.paiements.signals import payment_accepted
from titres.procedures.models import Demarche
from titres.procedures.registry import FormStep, handle_form
from titres.procedures.services import submit_demarche
from titres.procedures.workflow import TransitionRefused

from .. import taxes
from ..audit import VehiculesEvent
from ..models import ChangeOfHolder
from . import state

logger = logging.getLogger(__name__)
PROCEDURE_TAG = "vehicule-changement-titulaire"


@dataclass(frozen=True)
class Payable:
    """A vehicle procedure whose taxes are paid by card through this
    module: its record model (one per démarche, with the payment fields of
    ChangeOfHolder: taxes, amount_cents, payment_attempt,
    payment_reference, paid_at) and its taxes `breakdown(demarche, on)`."""

    model: type
    breakdown: Callable


# procedure code → Payable; the code is the payment's metadata "procedure".
PAYABLE: dict[str, Payable] = {}


def register_payable(code: str, *, model: type, breakdown: Callable) -> None:
    PAYABLE[code] = Payable(model=model, breakdown=breakdown)


def _change_of_holder_breakdown(demarche, on):
    """The new holder's region from the postal code of step 2."""
    record = state.record_of(demarche)
    holder = state.holder_answers(demarche)
    if record is None or not holder.get("code_postal"):
        return None
    region = taxes.region_for_postal_code(holder["code_postal"])
    return taxes.compute(vehicle=record.vehicle, region=region, on=on)


register_payable(PROCEDURE_TAG, model=ChangeOfHolder, breakdown=_change_of_holder_breakdown)


@dataclass(kw_only=True)
class PaymentStep(FormStep):
    """« Paiement des taxes » of every payable procedure: the taxes due and
    « Valider », which starts the card payment (vehicules:payer). The
    procedures differ only by the sentence above the taxes (`intro`: which
    taxes are due and why), given to the one template as `payment_intro`."""

    intro: str
    required: bool = False

    default_template = "vehicules/changement/step_payment.html"

    def handle(self, step_request):
        form = self.get_form(step_request.demarche, data=step_request.data)
        return handle_form(self, step_request, form, extra={"payment_intro": self.intro})


def breakdown_for(demarche, on=None):
    """The taxes of this file on the day `on` (today)."""
    payable = PAYABLE.get(demarche.procedure_code)
    if payable is None:
        return None
    return payable.breakdown(demarche, on or timezone.localdate())


def last_payment(record) -> Payment | None:
    if not record.payment_reference:
        return None
    return Payment.objects.filter(reference=record.payment_reference).first()


@transaction.atomic
def start_tax_payment(*, demarche: Demarche, actor, request=None) -> str:
    """Create (or find again) the card payment of the taxes; returns the
    bank page's URL. A refused or cancelled payment is followed by a new
    attempt (new idempotency key); a double click reuses the same one."""
    record = (
        PAYABLE[demarche.procedure_code].model.objects.select_for_update().get(demarche=demarche)
    )
    breakdown = breakdown_for(demarche)
    previous = last_payment(record)
    if previous is not None and (
        (previous.is_final and previous.state != PaymentState.ACCEPTE)
        or previous.amount_cents != breakdown.total_cents
    ):
        record.payment_attempt += 1
    record.taxes = breakdown.as_json()
    record.amount_cents = breakdown.total_cents
    started = start_card_payment(
        amount_cents=breakdown.total_cents,
        label=_("Taxes d’immatriculation — véhicule %(plate)s")
        % {"plate": getattr(record, "payment_subject", None) or record.vehicle.plate_display},
        email=demarche.owner.email,
        idempotency_key=f"demarche:{demarche.number}:taxes:{record.payment_attempt}",
        actor=actor,
        metadata={"demarche": demarche.number, "procedure": demarche.procedure_code},
        return_path=reverse("vehicules:paiement_retour", args=[demarche.number]),
        request=request,
    )
    record.payment_reference = started.payment.reference
    record.save(update_fields=["taxes", "amount_cents", "payment_attempt", "payment_reference"])
    return started.redirect_url


def record_payment(payment: Payment, *, request=None) -> Demarche | None:
    """An accepted payment of a vehicle procedure (PAYABLE): mark the file paid and
    file it (as its owner: the payment is the owner's last act). Idempotent.
    Returns the démarche, or None if the payment is not one of ours."""
    payable = PAYABLE.get((payment.metadata or {}).get("procedure"))
    if payment.state != PaymentState.ACCEPTE or payable is None:
        return None
    with transaction.atomic():
        record = (
            payable.model.objects.select_for_update(of=("self", "demarche"))
            .select_related("demarche__owner")
            .filter(
                demarche__number=payment.metadata.get("demarche"),
                payment_reference=payment.reference,
            )
            .first()
        )
        if record is None:
            # No file takes this payment: its draft was deleted meanwhile (a
            # terminated professional's, the draft purge) or the file moved
            # on to another attempt. Nobody is charged for nothing.
            from ..drafts import refund_orphan_after_commit

            refund_orphan_after_commit(
                payment,
                reason=f"Paiement sans démarche à déposer ({payment.metadata.get('demarche')})",
            )
            return None
        if payment.ledger_entries.filter(kind=LedgerKind.REMBOURSEMENT_FRAIS).exists():
            # Refunded after its filing was refused (refund_unfiled_payment):
            # a replayed notification never makes the draft paid again.
            return record.demarche
        if record.paid_at is None:
            record.paid_at = payment.settled_at or timezone.now()
            record.save(update_fields=["paid_at"])
            record_event(
                VehiculesEvent.TAXES_PAID,
                target=record.demarche,
                request=request,
                data={"reference": payment.reference, "montant": payment.amount_cents},
            )
        demarche = record.demarche
    if demarche.is_draft:
        try:
            submit_demarche(demarche=demarche, actor=demarche.owner, request=request)
        except TransitionRefused as refusal:
            # e.g. the code was used meanwhile by another file: the file
            # stays a draft and the money goes back at once, after this
            # event commits (drafts.refund_unfiled_payment); the draft is
            # paid again once corrected.
            from ..drafts import refund_unfiled_after_commit

            # The step's own message (« Ce code de cession a déjà été
            # utilisé… ») says more than the wizard's general one.
            motif = str(refusal.errors[0][1]) if refusal.errors else refusal.message
            logger.warning("vehicle file %s paid but not filed: %s", demarche.number, motif)
            with transaction.atomic():
                record_event(
                    VehiculesEvent.FILING_REFUSED_AFTER_PAYMENT,
                    target=demarche,
                    request=request,
                    data={"motif": motif, "reference": payment.reference},
                )
                refund_unfiled_after_commit(record, reference=payment.reference, motif=motif)
        demarche.refresh_from_db()
    return demarche


def _refund_cause(demarche) -> str:
    from titres.procedures.enums import Status

    return "abandonnée" if demarche.status == Status.ABANDONNEE else "rejetée"


# Atomic: it runs after the withdrawal's commit (refund_after_commit), in
# autocommit, where PostgreSQL's select_for_update needs its own transaction.
@transaction.atomic
def refund_taxes(*, model: type, record_id: int, actor=None):
    """The taxes of a rejected (or abandoned) file go back to the card (idempotent): the
    record (`model`: a PAYABLE's, ChangeOfHolder or CertificateOperation)
    gets its `refunded_at`, the provider refunds, the ledger records it."""
    from titres.paiements.services import refund_card_payment

    record = model.objects.select_for_update().select_related("demarche").get(pk=record_id)
    if record.refunded_at is not None or not record.payment_reference:
        return record
    refund_card_payment(
        reference=record.payment_reference,
        actor=actor,
        reason=f"Demande {record.demarche.number} {_refund_cause(record.demarche)}",
    )
    record.refunded_at = timezone.now()
    record.save(update_fields=["refunded_at"])
    record_event(
        VehiculesEvent.TAXES_REFUNDED,
        actor=actor,
        target=record.demarche,
        data={"reference": record.payment_reference, "montant": record.amount_cents},
    )
    return record


@receiver(payment_accepted)
def _on_payment_accepted(sender, payment, **kwargs):
    record_payment(payment)
