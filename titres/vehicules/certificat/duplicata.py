"""« Je demande un duplicata » after the loss, theft or damage of the
registration certificate: Pour commencer (vehicle, holder, motif, the
police report number for a theft), the client's mandate for a
professional, Récapitulatif (the legal conditions), Paiement des taxes
(Y4 + Y5: no regional tax for a duplicate) through the change of holder's
card-payment flow. The accepted payment files the démarche; at submission
the registry cancels the current certificate and makes a new one
(`issue_duplicate`), and a CPI is issued."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.procedures.enums import Category
from titres.procedures.registry import (
    FormStep,
    ProcedureDefinition,
    find_procedure,
    register_procedure,
)

from .. import taxes
from ..changement.payment import PaymentStep, register_payable
from ..drafts import release_draft
from ..enums import CertificateOperationKind
from ..models import CertificateOperation
from ..selectors import RegistryRefusal
from ..services.registry import issue_duplicate
from . import backoffice, common, decisions, forms, state

CODE = "vehicule-duplicata"
# What the client's e-mail says was filed in their name (professionnels/mandate.py).
MANDATE_OPERATION = gettext_lazy("une demande de duplicata du certificat d’immatriculation")


def breakdown(demarche, on):
    if not CertificateOperation.objects.filter(demarche=demarche).exists():
        return None
    return taxes.compute_duplicate(on=on)


def before_submit(demarche) -> None:
    operation = state.operation_of(demarche)
    if operation is None or operation.paid_at is None:
        raise ValidationError(
            _("Les taxes n’ont pas encore été payées : la demande ne peut pas être transmise."),
            code="unpaid",
        )


def on_submitted(demarche, *, actor, request=None) -> None:
    """In the submission transaction: check the vehicle again under its row
    lock, cancel the current certificate, make the new one, issue the CPI."""
    from titres.procedures.workflow import TransitionRefused

    operation, vehicle = common.lock_operation(demarche)
    start = state.start_answers(demarche)
    try:
        form = forms.DuplicataStartForm(demarche=demarche)
        form.check_vehicle(vehicle, start)
    except RegistryRefusal as refusal:
        raise TransitionRefused(
            refusal.messages[0], code=refusal.code, errors=[(state.START, refusal.messages[0])]
        )
    operation.old_plate = vehicle.plate
    operation.old_formule = vehicle.formule_number
    operation.old_ci_date = vehicle.ci_date
    issue_duplicate(
        vehicle=vehicle,
        reason=start["motif"],
        police_report_number=start.get("numero_plainte") or "",
        actor=actor,
        demarche_number=demarche.number,
        request=request,
    )
    vehicle.refresh_from_db()
    operation.new_plate = vehicle.plate
    operation.new_formule = vehicle.formule_number
    operation.new_certificate = True
    operation.registered_at = timezone.now()
    common.issue_cpi(operation)
    operation.save()
    common.notify_mandate_client(demarche, operation, vehicle, filed=MANDATE_OPERATION)


STEPS = [
    FormStep(
        slug=state.START,
        title=gettext_lazy("Pour commencer"),
        form_class=forms.DuplicataStartForm,
        form_kwargs=common.demarche_kwargs,
        on_save=common.start_saver(CertificateOperationKind.DUPLICATA),
    ),
    common.mandate_step(),
    FormStep(
        slug=state.SUMMARY,
        title=gettext_lazy("Récapitulatif"),
        form_class=forms.DuplicataRecapForm,
        form_kwargs=common.demarche_kwargs,
        template_name="vehicules/changement/step_summary.html",
    ),
    PaymentStep(
        slug=state.PAYMENT,
        title=gettext_lazy("Paiement des taxes"),
        form_class=forms.PaiementForm,
        form_kwargs=common.demarche_kwargs,
        intro=gettext_lazy(
            "Les taxes sont payées en ligne par carte bancaire sur la page sécurisée de la "
            "banque. La taxe régionale n’est pas due pour un duplicata."
        ),
    ),
]


def definition() -> ProcedureDefinition:
    return ProcedureDefinition(
        code=CODE,
        category=Category.IMMATRICULATION,
        title=gettext_lazy("Je demande un duplicata de ma carte grise"),
        description=gettext_lazy(
            "Après la perte, le vol ou la détérioration du certificat d’immatriculation : "
            "nouvelle carte grise, et certificat provisoire pour circuler en l’attendant."
        ),
        steps=STEPS,
        document_rules=common.document_rules,
        authority_resolver=common.resolve_authority,
        before_submit=before_submit,
        on_submitted=on_submitted,
        available_to=common.available_to,
        confirmation_title=gettext_lazy("Finalisation"),
        confirmation_url=common.confirmation_url,
        links=common.links,
        notices=decisions.notices,
        on_abandoned=decisions.on_abandoned,
        release_draft=release_draft,
        **backoffice.hooks(),
    )


def register() -> None:
    register_payable(CODE, model=CertificateOperation, breakdown=breakdown)
    if find_procedure(CODE) is None:
        register_procedure(definition())
