"""« Immatriculation d’un véhicule neuf » (dealers, professional space
only): Certificat de conformité, Client, Pièces justificatives (the
certificate of conformity, the client's mandate and identity), Récapitulatif
with the taxes, Paiement des taxes (Y1 + Y3 malus + Y4 + Y5 through the
change of holder's card-payment flow). The accepted payment files the
démarche; at submission a new SIV number is allotted, the vehicle enters
the registry with the client as titulaire and a CPI is issued."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.core import numbering
from titres.procedures.enums import Category
from titres.procedures.registry import (
    DocumentsStep,
    FormStep,
    ProcedureDefinition,
    find_procedure,
    register_procedure,
)
from titres.procedures.rules import DocumentRule

from .. import taxes
from ..allotment import allot_plate
from ..changement.payment import PaymentStep, register_payable
from ..changement.procedure import CLIENT_ID_RULE, MANDATE_RULE, one_month_after, resolve_authority
from ..drafts import release_draft
from ..enums import HolderRole, PersonKind
from ..models import Vehicle
from ..professionnels.access import habilitation_of, is_habilitated
from ..services.registry import HolderData, VehicleData, new_formule_number, register_vehicle
from . import backoffice, decisions, forms, state
from .models import NewRegistration

CODE = state.CODE
# What the client's e-mail says was filed in their name (professionnels/mandate.py).
MANDATE_OPERATION = gettext_lazy("une demande d’immatriculation d’un véhicule neuf")

CONFORMITY_RULE = DocumentRule(
    code="certificat_conformite",
    label=gettext_lazy("Certificat de conformité européen du véhicule"),
    help_text=gettext_lazy(
        "Le certificat de conformité (COC) remis par le constructeur, toutes ses pages."
    ),
    min_pages=1,
    max_pages=6,
)
KBIS_RULE = DocumentRule(
    code="kbis_client",
    label=gettext_lazy("Extrait K-bis de la société cliente"),
    help_text=gettext_lazy("Un extrait de moins de deux mois."),
    min_pages=1,
    max_pages=4,
)


def document_rules(demarche):
    client = state.client_answers(demarche)
    identity = KBIS_RULE if client.get("kind") == state.CLIENT_COMPANY else CLIENT_ID_RULE
    return [CONFORMITY_RULE, MANDATE_RULE, identity]


def demarche_kwargs(demarche):
    return {"demarche": demarche}


def on_conformity_saved(demarche, data, *, actor, request=None) -> None:
    NewRegistration.objects.get_or_create(demarche=demarche)


def on_client_saved(demarche, data, *, actor, request=None) -> None:
    """The client recorded as `acting_for` (the file's holder, who the CPI
    and the e-mail are for; the professional is the filer)."""
    NewRegistration.objects.get_or_create(demarche=demarche)
    habilitation = habilitation_of(demarche.owner)
    company = data.get("kind") == state.CLIENT_COMPANY
    acting_for = {
        "nom": data.get("raison_sociale") if company else data.get("nom", ""),
        "prenoms": "" if company else data.get("prenoms", ""),
        "date_naissance": data.get("date_naissance") or "",
        "raison_sociale": data.get("raison_sociale") or "",
        "siret": data.get("siret") or "",
        "qualite": "professionnel_mandataire",
        "email": data.get("email") or "",
        "professionnel": habilitation.organisation_name if habilitation else "",
        "habilitation": habilitation.number if habilitation else "",
    }
    if demarche.acting_for != acting_for:
        demarche.acting_for = acting_for
        demarche.save(update_fields=["acting_for", "updated_at"])


def breakdown(demarche, on):
    conformity = state.conformity_of(demarche)
    client = state.client_answers(demarche)
    if conformity is None or not client.get("code_postal"):
        return None
    region = taxes.region_for_postal_code(client["code_postal"])
    return taxes.compute_first_registration(
        vehicle=conformity, mass_kg=conformity.mass_kg, region=region, on=on
    )


def before_submit(demarche) -> None:
    record = state.record_of(demarche)
    if record is None or record.paid_at is None:
        raise ValidationError(
            _("Les taxes n’ont pas encore été payées : la demande ne peut pas être transmise."),
            code="unpaid",
        )


def holder_data(client: dict) -> HolderData:
    company = client.get("kind") == state.CLIENT_COMPANY
    return HolderData(
        role=HolderRole.TITULAIRE,
        person_kind=PersonKind.MORALE if company else PersonKind.PHYSIQUE,
        last_name="" if company else client.get("nom", "").upper(),
        first_names="" if company else client.get("prenoms", ""),
        birth_date=None if company else state.day(client.get("date_naissance")),
        company_name=client.get("raison_sociale", "") if company else "",
        siret=client.get("siret", "") if company else "",
        address=" ".join(p for p in (client.get("adresse"), client.get("complement")) if p),
        postal_code=client.get("code_postal", ""),
        commune=client.get("commune", ""),
    )


def on_submitted(demarche, *, actor, request=None) -> None:
    """In the submission transaction: the VIN checked again (another dealer
    may have registered it meanwhile), a new number allotted (its draw
    joins this transaction: a refusal gives it back), the vehicle entered
    with the client as titulaire, the CPI issued."""
    from titres.procedures.workflow import TransitionRefused

    record = NewRegistration.objects.select_for_update().get(demarche=demarche)
    conformity = state.conformity_of(demarche)
    if Vehicle.vin_registered(conformity.vin):
        message = str(forms.VIN_REGISTERED)
        raise TransitionRefused(
            message, code="vin_registered", errors=[(state.CONFORMITY, message)]
        )
    today = timezone.localdate()
    vehicle = register_vehicle(
        data=VehicleData(
            plate=allot_plate(),
            vin=conformity.vin,
            formule_number=new_formule_number(today),
            ci_date=today,
            first_registration_date=today,
            category=conformity.category,
            make=conformity.make,
            vehicle_type=conformity.vehicle_type,
            commercial_name=conformity.commercial_name,
            energy=conformity.energy,
            fiscal_power=conformity.fiscal_power,
            co2=conformity.co2,
            gross_weight_kg=conformity.gross_weight_kg,
            seats=conformity.seats,
            holders=[holder_data(state.client_answers(demarche))],
        ),
        actor=actor,
        request=request,
        demarche_number=demarche.number,
    )
    record.vehicle = vehicle
    record.new_plate = vehicle.plate
    record.cpi_number = numbering.generate(prefix="CP", length=9)
    record.cpi_valid_until = one_month_after(today)
    record.registered_at = timezone.now()
    record.save()

    def notify():
        from ..professionnels.mandate import notify_client

        notify_client(demarche, record, filed=MANDATE_OPERATION)

    transaction.on_commit(notify)


def confirmation_url(demarche) -> str:
    from django.urls import reverse

    return reverse("vehicules:neuf_finalisation", args=[demarche.number])


def links(demarche):
    from django.urls import reverse

    from titres.procedures.registry import Link

    record = state.record_of(demarche)
    if demarche.is_draft or record is None or not record.cpi_number:
        return []
    found = []
    # A rejected file's CPI is withdrawn (neuf/decisions.py).
    if record.withdrawn_at is None:
        found.append(
            Link(
                label=_("Certificat provisoire d’immatriculation (CPI)"),
                url=reverse("vehicules:neuf_cpi", args=[demarche.number]),
                detail="PDF",
                download=True,
            )
        )
    return [
        *found,
        Link(
            label=_("Récapitulatif de la demande — accusé d’enregistrement"),
            url=reverse("vehicules:neuf_accuse", args=[demarche.number]),
            detail="PDF",
            download=True,
        ),
    ]


STEPS = [
    FormStep(
        slug=state.CONFORMITY,
        title=gettext_lazy("Certificat de conformité"),
        form_class=forms.ConformityForm,
        form_kwargs=demarche_kwargs,
        on_save=on_conformity_saved,
    ),
    FormStep(
        slug=state.CLIENT,
        title=gettext_lazy("Client, futur titulaire"),
        form_class=forms.ClientForm,
        form_kwargs=demarche_kwargs,
        on_save=on_client_saved,
    ),
    DocumentsStep(
        slug=state.DOCUMENTS,
        title=gettext_lazy("Pièces justificatives"),
        help_text=gettext_lazy(
            "Joignez le certificat de conformité du véhicule, le mandat d’immatriculation "
            "(cerfa n° 13757) signé par votre client et sa pièce d’identité (l’extrait K-bis "
            "pour une société)."
        ),
    ),
    FormStep(
        slug=state.SUMMARY,
        title=gettext_lazy("Récapitulatif"),
        form_class=forms.RecapForm,
        form_kwargs=demarche_kwargs,
        template_name="vehicules/changement/step_summary.html",
    ),
    PaymentStep(
        slug=state.PAYMENT,
        title=gettext_lazy("Paiement des taxes"),
        form_class=forms.PaiementForm,
        form_kwargs=demarche_kwargs,
        intro=gettext_lazy(
            "Les taxes d’une première immatriculation en France sont payées en ligne par carte "
            "bancaire sur la page sécurisée de la banque : taxe régionale à taux plein, malus "
            "CO2 et masse, taxe fixe et redevance d’acheminement."
        ),
    ),
]


def definition() -> ProcedureDefinition:
    return ProcedureDefinition(
        code=CODE,
        category=Category.IMMATRICULATION,
        title=gettext_lazy("Immatriculation d’un véhicule neuf"),
        description=gettext_lazy(
            "Pour un concessionnaire : première immatriculation en France d’un véhicule neuf "
            "vendu à un client, d’après son certificat de conformité."
        ),
        steps=STEPS,
        document_rules=document_rules,
        authority_resolver=resolve_authority,
        before_submit=before_submit,
        on_submitted=on_submitted,
        available_to=is_habilitated,
        listed=False,
        confirmation_title=gettext_lazy("Finalisation"),
        confirmation_url=confirmation_url,
        links=links,
        notices=decisions.notices,
        on_abandoned=decisions.on_abandoned,
        release_draft=release_draft,
        **backoffice.hooks(),
    )


def register() -> None:
    register_payable(CODE, model=NewRegistration, breakdown=breakdown)
    if find_procedure(CODE) is None:
        register_procedure(definition())
