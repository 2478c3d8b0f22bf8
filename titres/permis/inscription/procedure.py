"""The téléprocédure "Inscription au permis de conduire" (first licence),
declared with the engine and the licence request's own steps (état civil,
address, photo, documents, récapitulatif): only the categories step is new.

Filed by a driving school for its candidate (the candidate's mandate is
then a supporting document) or by a candidate alone ("candidat libre").
Instructed in the back office like the licence request; the validation
attributes the NEPH (see decisions.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.procedures.enums import Category
from titres.procedures.registry import (
    DocumentsStep,
    FormStep,
    Link,
    ProcedureDefinition,
    find_procedure,
    register_procedure,
)

from .. import backoffice
from .. import procedure as licence
from .. import request_forms as rf
from ..submission import spend_ephoto_code, store_snpc_match
from . import rules
from .categories import table
from .forms import CategoriesForm, InscriptionEtatCivilForm

CODE = "permis-inscription"
MOTIF = "inscription"


@dataclass(kw_only=True)
class CategoriesStep(FormStep):
    def summary(self, demarche):
        answers = (demarche.answers or {}).get(self.slug) or {}
        labels = {code: entry.label for code, entry in table().categories.items()}
        chosen = ", ".join(labels.get(c, c) for c in answers.get("categories") or [])
        rows = [(str(_("Catégories demandées")), chosen)]
        if "B" in (answers.get("categories") or []):
            rows.append(
                (
                    str(_("Apprentissage anticipé de la conduite (AAC)")),
                    str(_("Oui") if answers.get("aac") else _("Non")),
                )
            )
        return rows


STEPS = [
    FormStep(
        slug="etat_civil",
        title=gettext_lazy("État civil"),
        help_text=gettext_lazy("État civil du candidat"),
        form_class=InscriptionEtatCivilForm,
        form_kwargs=licence._with_demarche,
        on_save=licence._on_etat_civil_saved,
        template_name="permis/wizard/step_etat_civil.html",
    ),
    FormStep(
        slug="adresse",
        title=gettext_lazy("Adresse et contact"),
        help_text=gettext_lazy("Adresse du candidat et coordonnées où l’on peut le joindre"),
        form_class=rf.AdresseForm,
        form_kwargs=licence._with_demarche,
        template_name="permis/wizard/step_adresse.html",
    ),
    CategoriesStep(
        slug="categories",
        title=gettext_lazy("Catégories"),
        help_text=gettext_lazy("Catégories du permis demandées"),
        form_class=CategoriesForm,
        form_kwargs=licence._with_demarche,
        template_name="permis/wizard/step_categories.html",
    ),
    licence.photo_step(),
    DocumentsStep(slug="pieces", title=gettext_lazy("Pièces justificatives")),
    licence.summary_step(),
]


def before_submit(demarche) -> None:
    licence.refuse_blocked_draft(demarche)


def on_submitted(demarche, *, actor, request=None) -> None:
    """Inside the submission transaction: use the e-photo code (unless the
    paper slip comes by post) and store the SNPC match for the agent — for
    a first licence, a file found in the national file is the anomaly."""

    from ..models import LicenceRequest

    answers = demarche.answers or {}
    photo = spend_ephoto_code(demarche, answers, actor)
    result, match = store_snpc_match(demarche, answers)
    LicenceRequest.objects.create(
        demarche=demarche,
        motif=MOTIF,
        categories=rules.categories_of(answers),
        record=result.record,
        match_method=result.method,
        match=match,
        needs_review=result.found,
        ephoto=photo,
    )


def confirmation_url(demarche) -> str:
    return reverse("permis:request_confirmation", args=[demarche.number])


def links(demarche) -> list[Link]:
    if demarche.is_draft:
        return []
    result = [
        Link(
            label=_("Justificatif de la demande d’inscription"),
            url=reverse("permis:request_receipt", args=[demarche.number]),
            detail="PDF",
            download=True,
        )
    ]
    request = getattr(demarche, "licence_request", None)
    if request is not None and request.neph_attributed_at:
        result.append(
            Link(
                label=_("Attestation d’inscription au permis de conduire"),
                url=reverse("permis:inscription_attestation", args=[demarche.number]),
                detail="PDF",
                download=True,
            )
        )
    return result


def available_to(user) -> bool:
    """A candidate alone ("candidat libre") or a driving school for its candidate."""
    return getattr(user, "profile", "particulier") in {"particulier", rules.SCHOOL_PROFILE}


def definition() -> ProcedureDefinition:
    return ProcedureDefinition(
        code=CODE,
        category=Category.PERMIS,
        title=gettext_lazy("Permis de conduire : inscription (premier permis)"),
        description=gettext_lazy(
            "Inscription au permis de conduire pour passer l’examen d’une ou plusieurs "
            "catégories : déposée par l’école de conduite pour son candidat, ou par le "
            "candidat libre. La préfecture attribue le numéro de dossier (NEPH)."
        ),
        steps=STEPS,
        document_rules=rules.document_rules,
        authority_resolver=licence.resolve_authority,
        before_submit=before_submit,
        on_submitted=on_submitted,
        on_abandoned=licence.on_abandoned,
        available_to=available_to,
        confirmation_title=gettext_lazy("Confirmation"),
        confirmation_url=confirmation_url,
        links=links,
        # No card is made from an inscription: the title is requested after
        # the exam; the back office offers no "Transmettre à la production".
        extra={"produces_title": False},
        **backoffice.hooks(),
    )


def register() -> None:
    if find_procedure(CODE) is None:
        register_procedure(definition())
