"""What an inscription needs, read from its answers: the candidate's birth
date, the day the rules are judged on, the supporting documents."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy

from titres.procedures.registry import DocumentRule

from .. import procedure as licence
from .categories import assr_required, jdc_required, medical_required

SCHOOL_PROFILE = "auto_ecole"

ASSR = DocumentRule(
    code="assr",
    label=gettext_lazy("ASSR 2 ou attestation de sécurité routière (ASR)"),
    help_text=gettext_lazy(
        "Demandée aux candidats nés à partir du 1er janvier 1988 : ASSR 2 obtenue au "
        "collège, ou ASR pour ceux qui ne l’ont pas passée."
    ),
    min_pages=1,
    max_pages=2,
)
JDC = DocumentRule(
    code="jdc",
    label=gettext_lazy("Certificat de participation à la JDC ou attestation de recensement"),
    help_text=gettext_lazy(
        "Demandé aux candidats de 17 à 25 ans (journée défense et citoyenneté ; attestation "
        "de recensement si la JDC n’a pas encore eu lieu)."
    ),
    min_pages=1,
    max_pages=2,
)
AVIS_MEDICAL = DocumentRule(
    code="avis_medical",
    label=gettext_lazy("Avis médical (cerfa n° 14880)"),
    help_text=gettext_lazy(
        "Délivré par un médecin agréé par la préfecture : obligatoire pour les catégories "
        "du groupe lourd (C1, C, D1, D et leurs remorques)."
    ),
    min_pages=1,
    max_pages=4,
)
MANDAT = DocumentRule(
    code="mandat",
    label=gettext_lazy("Mandat du candidat à l’école de conduite"),
    help_text=gettext_lazy(
        "Signé par le candidat (ou son représentant légal s’il est mineur) : il autorise "
        "l’école de conduite à déposer la demande en son nom."
    ),
    min_pages=1,
    max_pages=2,
)
MANDAT_TITULAIRE = DocumentRule(
    code="mandat",
    label=gettext_lazy("Mandat du titulaire à l’école de conduite"),
    help_text=gettext_lazy(
        "Signé par le titulaire du permis : il autorise l’école de conduite à déposer la "
        "demande en son nom."
    ),
    min_pages=1,
    max_pages=2,
)


def birth_date_of(answers: dict) -> date | None:
    value = ((answers or {}).get("etat_civil") or {}).get("date_naissance")
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def filing_day(demarche) -> date:
    """The rules of the day the request is filed (today for a draft)."""
    if demarche is not None and demarche.submitted_at:
        return timezone.localdate(demarche.submitted_at)
    return timezone.localdate()


def categories_of(answers: dict) -> list[str]:
    return list(((answers or {}).get("categories") or {}).get("categories") or [])


def filed_by_school_user(user) -> bool:
    return getattr(user, "profile", "") == SCHOOL_PROFILE


def filed_by_school(demarche) -> bool:
    return filed_by_school_user(demarche.owner)


def document_rules_for(
    *, birth_date: date | None, categories: list[str], on: date, by_school: bool
) -> list[DocumentRule]:
    rules = [licence.IDENTITE, licence.DOMICILE]
    if birth_date is not None and assr_required(birth_date):
        rules.append(ASSR)
    if birth_date is not None and jdc_required(birth_date, on):
        rules.append(JDC)
    if categories and medical_required(categories, on):
        rules.append(AVIS_MEDICAL)
    if by_school:
        rules.append(MANDAT)
    return rules


def document_rules(demarche) -> list[DocumentRule]:
    answers = demarche.answers or {}
    return document_rules_for(
        birth_date=birth_date_of(answers),
        categories=categories_of(answers),
        on=filing_day(demarche),
        by_school=filed_by_school(demarche),
    )
