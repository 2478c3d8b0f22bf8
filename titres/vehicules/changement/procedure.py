"""The téléprocédure "J'achète ou je reçois un véhicule d'occasion" (seed
003) declared to the procedure engine: Pour commencer, (the holder's
consent when a trusted third party files), Nouveau titulaire,
Récapitulatif, Paiement des taxes, then Finalisation (CPI and accusé
d'enregistrement). Registered by VehiculesConfig.ready()."""

from __future__ import annotations

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.core import numbering
from titres.procedures.enums import AuthorityKind, Category
from titres.procedures.registry import (
    DocumentRule,
    DocumentsStep,
    FormStep,
    Link,
    ProcedureDefinition,
    find_procedure,
    register_procedure,
)

from ..allotment import allot_plate
from ..drafts import release_draft
from ..enums import PlateSystem
from ..models import ChangeOfHolder, Vehicle
from ..selectors import RegistryRefusal, situation_refusal
from ..services.cession import use_code
from . import backoffice, decisions, forms, state
from .payment import PaymentStep

CODE = state.CODE
# What the client's e-mail says was filed in their name (professionnels/mandate.py).
MANDATE_OPERATION = gettext_lazy("une demande de changement de titulaire")
AUTHORITY_CODE = "CERT-SIV"
AUTHORITY_NAME = "CERT immatriculation des véhicules (compétence nationale)"


def one_month_after(day: date) -> date:
    """The CPI is valid one month: same day next month (last day of a
    shorter month)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


CONSENT_RULE = DocumentRule(
    code="consentement_titulaire",
    label=gettext_lazy("Consentement écrit du nouveau titulaire"),
    help_text=gettext_lazy(
        "Lettre datée et signée par la personne au nom de laquelle la carte grise sera établie, "
        "vous autorisant à faire la démarche pour elle, avec la copie de sa pièce d’identité."
    ),
    min_pages=1,
    max_pages=4,
)


MANDATE_RULE = DocumentRule(
    code="mandat_cerfa_13757",
    label=gettext_lazy("Mandat d’immatriculation (cerfa n° 13757)"),
    help_text=gettext_lazy(
        "Le mandat signé par votre client, vous autorisant à effectuer la démarche "
        "d’immatriculation en son nom."
    ),
    min_pages=1,
    max_pages=2,
)
CLIENT_ID_RULE = DocumentRule(
    code="piece_identite_client",
    label=gettext_lazy("Pièce d’identité du client"),
    help_text=gettext_lazy(
        "Carte nationale d’identité, passeport ou titre de séjour en cours de validité, recto "
        "et verso."
    ),
    min_pages=1,
    max_pages=2,
)


class StartStep(FormStep):
    """Step 1; its summary (récapitulatif, agents' file page) never shows
    the code de cession: it is a secret, spent at submission."""

    def summary(self, demarche):
        code_label = str(forms.PourCommencerForm.base_fields["code_cession"].label)
        return [
            (label, "•••••••••" if label == code_label and value else value)
            for label, value in super().summary(demarche)
        ]


KBIS_RULE = DocumentRule(
    code="kbis_client",
    label=gettext_lazy("Extrait K-bis de la société cliente"),
    help_text=gettext_lazy(
        "Extrait d’immatriculation au registre du commerce et des sociétés de moins de trois "
        "mois (ou, pour une association ou un organisme public, le document qui en tient lieu)."
    ),
    min_pages=1,
    max_pages=4,
)


def document_rules(demarche):
    answers = demarche.answers or {}
    if state.company_client(answers):
        return [MANDATE_RULE, KBIS_RULE]
    if state.under_mandate(answers):
        return [MANDATE_RULE, CLIENT_ID_RULE]
    return [CONSENT_RULE] if state.trusted_third_party(answers) else []


def demarche_kwargs(demarche):
    return {"demarche": demarche}


def on_start_saved(demarche, data, *, actor, request=None) -> None:
    """Bind the démarche to its vehicle (and declaration of sale); a
    trusted third party names the holder the file is for."""
    vehicle = Vehicle.objects.get(pk=data["vehicule"])
    ChangeOfHolder.objects.update_or_create(
        demarche=demarche,
        defaults={"vehicle": vehicle, "cession": state.declaration_of(demarche)},
    )
    acting_for = {}
    if data.get("pour_qui") in (forms.POUR_AUTRUI, forms.POUR_MANDAT):
        acting_for = {
            "nom": data["titulaire_nom"],
            "prenoms": data["titulaire_prenoms"],
            "date_naissance": data["titulaire_date_naissance"],
            "qualite": "tiers_de_confiance",
        }
    if data.get("pour_qui") == forms.POUR_MANDAT and data.get("titulaire_siret"):
        # A company client: its name where lists and e-mails show the client.
        acting_for = {
            "nom": data.get("titulaire_raison_sociale", ""),
            "prenoms": "",
            "date_naissance": None,
            "raison_sociale": data.get("titulaire_raison_sociale", ""),
            "siret": data["titulaire_siret"],
        }
    if data.get("pour_qui") == forms.POUR_MANDAT:
        from ..professionnels.access import habilitation_of

        habilitation = habilitation_of(demarche.owner)
        acting_for.update(
            qualite="professionnel_mandataire",
            email=data.get("titulaire_email") or "",
            professionnel=habilitation.organisation_name if habilitation else "",
            habilitation=habilitation.number if habilitation else "",
        )
    if demarche.acting_for != acting_for:
        demarche.acting_for = acting_for
        demarche.save(update_fields=["acting_for", "updated_at"])


def resolve_authority(demarche):
    from titres.procedures.models import Authority

    authority, _created = Authority.objects.get_or_create(
        code=AUTHORITY_CODE, defaults={"name": AUTHORITY_NAME, "kind": AuthorityKind.CERT}
    )
    return authority


def before_submit(demarche) -> None:
    record = state.record_of(demarche)
    if record is None or record.paid_at is None:
        raise ValidationError(
            _("Les taxes n’ont pas encore été payées : la demande ne peut pas être transmise."),
            code="unpaid",
        )


def on_submitted(demarche, *, actor, request=None) -> None:
    """In the submission transaction: check the vehicle again under its row
    lock (another file may have been filed meanwhile), spend the code de
    cession, issue the CPI (valid one month) with, for an FNI vehicle, its
    newly allotted SIV number."""
    from titres.procedures.workflow import TransitionRefused

    record = ChangeOfHolder.objects.select_for_update().get(demarche=demarche)
    vehicle = Vehicle.objects.select_for_update().get(pk=record.vehicle_id)
    try:
        for situation in vehicle.blocking_situations():
            raise situation_refusal(situation)
        state.check_no_ongoing_change(vehicle, demarche)
        if record.cession is not None:
            use_code(
                declaration=record.cession,
                demarche_number=demarche.number,
                actor=actor,
                request=request,
            )
    except RegistryRefusal as refusal:
        raise TransitionRefused(
            refusal.messages[0], code=refusal.code, errors=[(state.START, refusal.messages[0])]
        )
    today = timezone.localdate()
    record.cpi_number = numbering.generate(prefix="CP", length=9)
    record.cpi_valid_until = one_month_after(today)
    record.old_plate = vehicle.plate
    if vehicle.plate_system == PlateSystem.FNI:
        # An FNI vehicle changing holder leaves the old numbering: its new
        # SIV number is allotted now, because the CPI the new holder drives
        # with carries it; the CERT's validation writes that same number in
        # the registry (decisions.register_change). A rejected file leaves
        # the number unused, never given again by the sequence.
        record.new_plate = allot_plate()
    record.save(update_fields=["cpi_number", "cpi_valid_until", "old_plate", "new_plate"])
    if state.under_mandate(demarche.answers or {}):
        from ..professionnels.mandate import notify_client

        notify_client(demarche, record, filed=MANDATE_OPERATION)


def on_abandoned(demarche, *, actor) -> None:
    """A draft holds nothing (the code is spent only at submission); a
    filed change abandoned before an agent took it is withdrawn like a
    rejected one: CPI, taxes, code de cession."""
    decisions.withdraw_change(demarche, actor=actor)


def confirmation_url(demarche) -> str:
    return reverse("vehicules:finalisation", args=[demarche.number])


def links(demarche) -> list[Link]:
    if demarche.is_draft:
        return []
    found = []
    # A rejected or abandoned file's CPI no longer stands (decisions.withdraw_change).
    record = state.record_of(demarche)
    if record is not None and record.cpi_number and record.withdrawn_at is None:
        found.append(
            Link(
                label=_("Certificat provisoire d’immatriculation (CPI)"),
                url=reverse("vehicules:cpi", args=[demarche.number]),
                detail="PDF",
                download=True,
            )
        )
    return [
        *found,
        Link(
            label=_("Récapitulatif de la demande — accusé d’enregistrement"),
            url=reverse("vehicules:accuse", args=[demarche.number]),
            detail="PDF",
            download=True,
        ),
    ]


def available_to(user) -> bool:
    """Seed 000 §1.6: individuals file vehicle procedures through
    FranceConnect, habilitated professionals for their clients (a local account is sent to the FranceConnect button by
    "Mon Espace Véhicule", with the alternatives)."""
    from titres.franceconnect.selectors import has_verified_identity

    from ..professionnels.access import is_habilitated

    return has_verified_identity(user) or is_habilitated(user)


STEPS = [
    StartStep(
        slug=state.START,
        title=gettext_lazy("Pour commencer"),
        form_class=forms.PourCommencerForm,
        form_kwargs=demarche_kwargs,
        template_name="vehicules/changement/step_start.html",
        on_save=on_start_saved,
    ),
    DocumentsStep(
        slug=state.CONSENT,
        title=gettext_lazy("Consentement du nouveau titulaire"),
        condition=state.trusted_third_party,
        help_text=gettext_lazy(
            "Vous faites la démarche pour une autre personne (tiers de confiance) : joignez son "
            "consentement écrit. Le certificat d’immatriculation sera établi à son nom."
        ),
    ),
    DocumentsStep(
        slug=state.MANDATE,
        title=gettext_lazy("Mandat et pièce d’identité du client"),
        condition=state.under_mandate,
        help_text=gettext_lazy(
            "Vous agissez pour votre client sous mandat : joignez le mandat d’immatriculation "
            "(cerfa n° 13757) qu’il a signé et la copie de sa pièce d’identité. Le certificat "
            "d’immatriculation sera établi à son nom."
        ),
    ),
    FormStep(
        slug=state.HOLDER,
        title=gettext_lazy("Nouveau titulaire"),
        form_class=forms.NouveauTitulaireForm,
        form_kwargs=demarche_kwargs,
        template_name="vehicules/changement/step_holder.html",
    ),
    FormStep(
        slug=state.SUMMARY,
        title=gettext_lazy("Récapitulatif"),
        form_class=forms.RecapitulatifForm,
        form_kwargs=demarche_kwargs,
        template_name="vehicules/changement/step_summary.html",
    ),
    PaymentStep(
        slug=state.PAYMENT,
        title=gettext_lazy("Paiement des taxes"),
        form_class=forms.PaiementForm,
        form_kwargs=demarche_kwargs,
        intro=gettext_lazy(
            "Les taxes sont payées en ligne par carte bancaire (numéro de la carte, date "
            "d’expiration, cryptogramme) sur la page sécurisée de la banque. Aucun malus "
            "n’est dû pour un véhicule déjà immatriculé en France."
        ),
    ),
]


def definition() -> ProcedureDefinition:
    return ProcedureDefinition(
        code=CODE,
        category=Category.IMMATRICULATION,
        title=gettext_lazy("J’achète ou je reçois un véhicule d’occasion"),
        description=gettext_lazy(
            "Changement de titulaire d’un véhicule d’occasion immatriculé en France : carte "
            "grise à votre nom et certificat provisoire pour circuler en l’attendant."
        ),
        steps=STEPS,
        document_rules=document_rules,
        authority_resolver=resolve_authority,
        before_submit=before_submit,
        on_submitted=on_submitted,
        on_abandoned=on_abandoned,
        release_draft=release_draft,
        notices=decisions.notices,
        available_to=available_to,
        confirmation_title=gettext_lazy("Finalisation"),
        confirmation_url=confirmation_url,
        links=links,
        **backoffice.hooks(),
    )


def register() -> None:
    if find_procedure(CODE) is None:
        register_procedure(definition())
