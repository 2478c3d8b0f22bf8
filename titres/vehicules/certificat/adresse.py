"""« Je change d’adresse » (changement d’adresse sur le certificat
d’immatriculation), free: Pour commencer (vehicle, card, holder), the
client's mandate for a professional, Nouvelle adresse (which says whether a
label or a new certificate will follow), Récapitulatif → submitted. At
submission the registry takes the new address (`change_address`): the
first three changes on a SIV certificate are printed on a label sent by
post, the fourth (or any change on an FNI certificate) brings a new
certificate and a CPI."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy

from titres.procedures.enums import Category
from titres.procedures.registry import (
    FormStep,
    ProcedureDefinition,
    SummaryStep,
    find_procedure,
    register_procedure,
)

from ..drafts import release_draft
from ..enums import CertificateOperationKind
from ..services.registry import change_address, next_address_label
from . import backoffice, common, decisions, forms, state

CODE = "vehicule-changement-adresse"
# What the client's e-mail says was filed in their name (professionnels/mandate.py).
MANDATE_OPERATION = gettext_lazy("une demande de changement d’adresse")


def outcome(demarche) -> dict | None:
    """What the change will bring if filed now: {"label": n} or
    {"new_certificate": True}, shown before the holder confirms."""
    vehicle = state.vehicle_of(demarche)
    if vehicle is None:
        return None
    label = next_address_label(vehicle)
    return {"label": label, "new_certificate": label is None, "vehicle": vehicle}


def on_submitted(demarche, *, actor, request=None) -> None:
    """In the submission transaction: the registry's new address, the
    label's number or the new certificate and its CPI."""
    operation, vehicle = common.lock_operation(demarche)
    answers = (demarche.answers or {}).get(state.ADDRESS) or {}
    operation.old_plate = vehicle.plate
    operation.old_formule = vehicle.formule_number
    operation.old_ci_date = vehicle.ci_date
    change = change_address(
        vehicle=vehicle,
        address=forms.full_address(answers),
        postal_code=answers["code_postal"],
        commune=answers["commune"],
        actor=actor,
        demarche_number=demarche.number,
        request=request,
    )
    vehicle.refresh_from_db()
    operation.label_number = change.label_number
    operation.new_certificate = change.new_certificate
    operation.new_plate = vehicle.plate
    operation.new_formule = vehicle.formule_number
    if change.new_certificate:
        common.issue_cpi(operation)
    operation.registered_at = timezone.now()
    operation.save()
    common.notify_mandate_client(demarche, operation, vehicle, filed=MANDATE_OPERATION)


STEPS = [
    FormStep(
        slug=state.START,
        title=gettext_lazy("Pour commencer"),
        form_class=forms.AdresseStartForm,
        form_kwargs=common.demarche_kwargs,
        on_save=common.start_saver(CertificateOperationKind.ADRESSE),
    ),
    common.mandate_step(),
    FormStep(
        slug=state.ADDRESS,
        title=gettext_lazy("Nouvelle adresse"),
        form_class=forms.NouvelleAdresseForm,
        form_kwargs=common.demarche_kwargs,
        template_name="vehicules/certificat/step_adresse.html",
    ),
    SummaryStep(
        slug=state.SUMMARY,
        title=gettext_lazy("Récapitulatif"),
        template_name="vehicules/certificat/step_summary_adresse.html",
        attestation=gettext_lazy(
            "Je certifie sur l’honneur que la nouvelle adresse est celle du titulaire du "
            "certificat d’immatriculation."
        ),
        warning=gettext_lazy(
            "Relisez soigneusement les informations de votre récapitulatif. Une fois validée, "
            "la demande ne pourra plus être modifiée : la nouvelle adresse est inscrite "
            "aussitôt au système d’immatriculation des véhicules."
        ),
    ),
]


def definition() -> ProcedureDefinition:
    return ProcedureDefinition(
        code=CODE,
        category=Category.IMMATRICULATION,
        title=gettext_lazy("Je change d’adresse"),
        description=gettext_lazy(
            "Changement d’adresse sur le certificat d’immatriculation (gratuit) : une étiquette "
            "à coller sur la carte grise, ou une nouvelle carte grise au quatrième changement."
        ),
        steps=STEPS,
        document_rules=common.document_rules,
        authority_resolver=common.resolve_authority,
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
    if find_procedure(CODE) is None:
        register_procedure(definition())
