"""The téléprocédure "Échange d'un permis étranger": a licence of the EU/EEA,
or of a State or authority on the reciprocity list, exchanged for a French
licence. Declared with the engine and the licence request's own steps
(état civil, address, photo, documents, récapitulatif); the foreign licence
step is new. On the prefecture's validation the SNPC file is created (or
completed) with the French categories and the foreign licence is recorded
as surrendered (decisions.py → services.exchange_licence); the card is then
made like any licence."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.procedures.enums import Category
from titres.procedures.registry import (
    DocumentRule,
    DocumentsStep,
    FormStep,
    ProcedureDefinition,
    find_procedure,
    register_procedure,
)

from .. import backoffice
from .. import procedure as licence
from .. import request_forms as rf
from ..inscription import rules
from ..inscription.categories import medical_required
from ..submission import spend_ephoto_code, store_snpc_match
from .countries import EEE, table
from .forms import ForeignLicenceForm, held_categories

CODE = "permis-echange"
MOTIF = "echange"
STEP = "permis_etranger"

PERMIS_ETRANGER = DocumentRule(
    code="permis_etranger",
    label=gettext_lazy("Permis de conduire étranger"),
    help_text=gettext_lazy(
        "Recto et verso. Le permis original est remis à la préfecture à la remise du titre "
        "français."
    ),
    min_pages=1,
    max_pages=2,
)
TRADUCTION = DocumentRule(
    code="traduction",
    label=gettext_lazy("Traduction officielle du permis étranger"),
    help_text=gettext_lazy(
        "Par un traducteur agréé (expert près une cour d’appel) ou par le consulat de l’État "
        "qui a délivré le permis. Demandée pour un permis délivré hors de l’Union européenne "
        "et de l’Espace économique européen."
    ),
    min_pages=1,
    max_pages=4,
)
RESIDENCE = DocumentRule(
    code="residence",
    label=gettext_lazy("Justificatif de résidence normale en France"),
    help_text=gettext_lazy(
        "Titre de séjour en cours de validité, ou pour un ressortissant de l’Union "
        "européenne un justificatif de domicile en France et de résidence d’au moins "
        "185 jours par an (bail, avis d’imposition, contrat de travail…)."
    ),
    min_pages=1,
    max_pages=5,
)


def foreign(answers: dict) -> dict:
    return (answers or {}).get(STEP) or {}


def zone_of(demarche) -> str:
    rule = table().rule(foreign(demarche.answers).get("pays") or "", rules.filing_day(demarche))
    return rule.zone if rule else ""


def document_rules(demarche) -> list[DocumentRule]:
    result = [licence.IDENTITE, PERMIS_ETRANGER]
    zone = zone_of(demarche)
    if zone and zone != EEE:
        result.append(TRADUCTION)
    result.append(RESIDENCE)
    categories = list(held_categories(demarche.answers))
    if categories and medical_required(categories, rules.filing_day(demarche)):
        result.append(rules.AVIS_MEDICAL)
    return result


@dataclass(kw_only=True)
class ForeignLicenceStep(FormStep):
    template_name: str = "permis/wizard/step_permis_etranger.html"

    def summary(self, demarche):
        step = foreign(demarche.answers)
        if not step:
            return []
        country = table().countries.get(step.get("pays") or "")
        zone = zone_of(demarche)
        rows = [
            (str(_("État ou autorité de délivrance")), country.name if country else ""),
            (
                str(_("Régime de l’échange")),
                str(
                    _("Union européenne / Espace économique européen")
                    if zone == EEE
                    else _("Accord de réciprocité")
                ),
            ),
            (str(_("Numéro du permis étranger")), step.get("numero", "")),
            (str(_("Date de délivrance")), _fr(step.get("date_delivrance"))),
        ]
        if step.get("date_fin_validite"):
            rows.append((str(_("Fin de validité")), _fr(step["date_fin_validite"])))
        held = held_categories(demarche.answers)
        rows.append(
            (
                str(_("Catégories (date d’obtention)")),
                ", ".join(f"{c} ({d:%d/%m/%Y})" for c, d in held.items()),
            )
        )
        rows.append((str(_("Installation en France")), _fr(step.get("date_installation"))))
        return rows


def _fr(value) -> str:
    from datetime import date

    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value or "")


STEPS = [
    FormStep(
        slug="etat_civil",
        title=gettext_lazy("État civil"),
        help_text=gettext_lazy("État civil du titulaire du permis étranger"),
        form_class=rf.EtatCivilForm,
        form_kwargs=licence._with_demarche,
        template_name="permis/wizard/step_etat_civil.html",
    ),
    FormStep(
        slug="adresse",
        title=gettext_lazy("Adresse et contact"),
        help_text=gettext_lazy("Adresse en France et coordonnées où l’on peut vous joindre"),
        form_class=rf.AdresseForm,
        form_kwargs=licence._with_demarche,
        template_name="permis/wizard/step_adresse.html",
    ),
    ForeignLicenceStep(
        slug=STEP,
        title=gettext_lazy("Permis étranger"),
        help_text=gettext_lazy(
            "Le permis à échanger, ses catégories et votre installation en France"
        ),
        form_class=ForeignLicenceForm,
        form_kwargs=licence._with_demarche,
    ),
    licence.photo_step(),
    DocumentsStep(slug="pieces", title=gettext_lazy("Pièces justificatives")),
    licence.summary_step(),
]


def before_submit(demarche) -> None:
    """A French licence suspended, cancelled or invalidated is not completed
    by an exchange (same reason as the licence request)."""
    licence.before_submit(demarche)


def on_submitted(demarche, *, actor, request=None) -> None:
    """Inside the submission transaction: the e-photo code is used and the
    SNPC asked whether the person already has a French file (completed on
    validation) — a doubtful match is left to the agent."""

    from ..models import LicenceRequest

    answers = demarche.answers or {}
    photo = spend_ephoto_code(demarche, answers, actor)
    result, match = store_snpc_match(demarche, answers)
    LicenceRequest.objects.create(
        demarche=demarche,
        motif=MOTIF,
        categories=list(held_categories(answers)),
        record=result.record if result.is_exact else None,
        match_method=result.method,
        match=match,
        needs_review=result.found and not result.is_exact,
        ephoto=photo,
    )


def available_to(user) -> bool:
    """Private individuals, for their own licence."""
    return getattr(user, "profile", "particulier") == "particulier"


def definition() -> ProcedureDefinition:
    return ProcedureDefinition(
        code=CODE,
        category=Category.PERMIS,
        title=gettext_lazy("Permis de conduire : échange d’un permis étranger"),
        description=gettext_lazy(
            "Vous résidez en France et votre permis a été délivré par un État de l’Union "
            "européenne ou de l’Espace économique européen, ou par un État qui pratique "
            "l’échange réciproque avec la France : demandez un permis français."
        ),
        steps=STEPS,
        document_rules=document_rules,
        authority_resolver=licence.resolve_authority,
        before_submit=before_submit,
        on_submitted=on_submitted,
        on_abandoned=licence.on_abandoned,
        available_to=available_to,
        confirmation_title=gettext_lazy("Confirmation"),
        confirmation_url=licence.confirmation_url,
        links=licence.links,
        extra={"provisional_attestation": True},
        **backoffice.hooks(),
    )


def register() -> None:
    if find_procedure(CODE) is None:
        register_procedure(definition())
