"""The buyer's screens around the engine's wizard: « Valider » of the
payment step, the return from the bank (« Imprimer le reçu », « Cliquer
ici pour enregistrer votre paiement »), « Finalisation » and the PDFs.
The payment pages serve every procedure paid by card (changement.payment.
PAYABLE: the duplicate too); « Finalisation », the CPI and the accusé here
are the change of holder's."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from titres.core import numbering
from titres.paiements.enums import LedgerKind, PaymentState
from titres.paiements.models import format_amount
from titres.paiements.services import PaymentError
from titres.procedures.registry import find_procedure
from titres.procedures.selectors import demarches_owned_by

from ..changement import state
from ..changement.payment import PAYABLE, last_payment, record_payment, start_tax_payment
from ..changement.procedure import CODE
from ..documents.accuse_pdf import accuse_pdf
from ..documents.cpi_pdf import cpi_pdf
from ..documents.recu_pdf import receipt_pdf
from ..professionnels.mandate import filer_label


def _record(request, number, codes=None):
    """The record (ChangeOfHolder, or another PAYABLE's) of the user's own
    démarche; anybody else's is a 404."""
    demarche = get_object_or_404(
        demarches_owned_by(request.user),
        number=numbering.normalize(number),
        procedure_code__in=list(codes or PAYABLE),
    )
    record = (
        PAYABLE[demarche.procedure_code]
        .model.objects.select_related("vehicle", "demarche__owner")
        .filter(demarche=demarche)
        .first()
    )
    if record is None:
        raise Http404
    return record


def _after_filing(demarche):
    return redirect(find_procedure(demarche.procedure_code).get_confirmation_url(demarche))


def cpi_withdrawn(request, demarche, record) -> HttpResponse:
    """The address of a withdrawn CPI (the file rejected or abandoned): a
    404 — the PDF is never given again — whose page says why, with what
    the file page says (`notices`) and a link to it."""
    definition = find_procedure(demarche.procedure_code)
    return render(
        request,
        "vehicules/cpi_retire.html",
        {
            "demarche": demarche,
            "record": record,
            "notices": list(definition.notices(demarche)) if definition.notices else [],
        },
        status=404,
    )


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def payer(request, number):
    """« Valider » on « Paiement des taxes »: to the bank's page."""
    record = _record(request, number)
    demarche = record.demarche
    payment_step = reverse("procedures:step", args=[demarche.number, state.PAYMENT])
    if not demarche.is_draft:
        return _after_filing(demarche)
    definition = find_procedure(demarche.procedure_code)
    problems = [
        message for slug, message in definition.errors(demarche) if slug not in (state.PAYMENT, "")
    ]
    if problems:
        messages.error(
            request, _("Complétez d’abord les étapes précédentes : %(p)s") % {"p": problems[0]}
        )
        return redirect(payment_step)
    try:
        url = start_tax_payment(demarche=demarche, actor=request.user, request=request)
    except PaymentError as error:
        messages.error(request, error.messages[0])
        return redirect(payment_step)
    return redirect(url)


def unfiled_message(payment) -> str:
    return _(
        "Votre paiement a été accepté mais la demande n’a pas pu être transmise : reprenez la "
        "démarche pour voir pourquoi. Les taxes payées (%(amount)s) sont remboursées sur la "
        "carte bancaire qui a servi au paiement, sous quelques jours ; vous paierez à nouveau "
        "une fois la démarche corrigée."
    ) % {"amount": format_amount(payment.amount_cents)}


def paiement_retour(request, number):
    record = _record(request, number)
    payment = last_payment(record)
    if payment is None:
        return redirect("procedures:step", number=record.demarche.number, slug=state.PAYMENT)
    refunded = payment.ledger_entries.filter(kind=LedgerKind.REMBOURSEMENT_FRAIS).exists()
    return render(
        request,
        "vehicules/changement/paiement_retour.html",
        {
            "record": record,
            "demarche": record.demarche,
            "payment": payment,
            "states": PaymentState,
            # Accepted, then refunded: its filing was refused (record_payment).
            "refunded_message": unfiled_message(payment) if refunded else "",
        },
    )


@require_POST
def enregistrer_paiement(request, number):
    """« Cliquer ici pour enregistrer votre paiement »: harmless if the
    bank's notification already did it (it always does, sooner or later)."""
    record = _record(request, number)
    payment = last_payment(record)
    if payment is None or payment.state != PaymentState.ACCEPTE:
        messages.error(request, _("Aucun paiement accepté n’est enregistré pour cette démarche."))
        return redirect("vehicules:paiement_retour", number=record.demarche.number)
    demarche = record_payment(payment, request=request)
    if demarche is not None and demarche.is_draft:
        # record_payment refunded it (drafts.refund_unfiled_payment; a
        # provider down: the catch-up command does it later).
        messages.error(request, unfiled_message(payment))
        return redirect("procedures:resume", number=record.demarche.number)
    messages.success(request, _("Votre paiement est enregistré."))
    return _after_filing(record.demarche)


def recu(request, number):
    record = _record(request, number)
    payment = last_payment(record)
    if payment is None or payment.state != PaymentState.ACCEPTE:
        raise Http404
    return _pdf(receipt_pdf(record, payment), f"recu-taxes-{payment.reference}.pdf")


def finalisation(request, number):
    record = _record(request, number, codes=[CODE])
    demarche = record.demarche
    if demarche.is_draft:
        return redirect("procedures:resume", number=demarche.number)
    definition = find_procedure(CODE)
    return render(
        request,
        "vehicules/changement/finalisation.html",
        {
            "record": record,
            "demarche": demarche,
            "definition": definition,
            "total": definition.stepper_total(demarche),
            "filer": filer_label(demarche),
            "notices": definition.notices(demarche),
        },
    )


def cpi(request, number):
    record = _record(request, number, codes=[CODE])
    if record.demarche.is_draft or not record.cpi_number:
        raise Http404
    # A rejected or abandoned file's CPI is withdrawn (changement/decisions.py).
    if record.withdrawn_at is not None:
        return cpi_withdrawn(request, record.demarche, record)
    return _pdf(cpi_pdf(record), f"cpi-{record.cpi_number}.pdf")


def accuse(request, number):
    record = _record(request, number, codes=[CODE])
    if record.demarche.is_draft:
        raise Http404
    return _pdf(accuse_pdf(record), f"accuse-{record.demarche.number}.pdf")
