"""What the answers decide: the titles asked, the person concerned, the
steps that apply, the stamps due and the documents to bring."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import tarifs
from ..enums import Motif, TitleKind

BOTH = "les_deux"


def _parse(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def age(born: datetime.date, on: datetime.date | None = None) -> int:
    return tarifs.age_on(born, on or timezone.localdate())


def titre(answers: dict) -> dict:
    return (answers or {}).get("titre") or {}


def motif(answers: dict) -> str:
    return titre(answers).get("motif") or ""


def titles(answers: dict) -> list[str]:
    chosen = titre(answers).get("titre") or ""
    if chosen == BOTH:
        return [TitleKind.CNI, TitleKind.PASSEPORT]
    return [chosen] if chosen in TitleKind.values else []


def for_minor(answers: dict) -> bool:
    return titre(answers).get("pour_qui") == "mineur"


def has_former_title(answers: dict) -> bool:
    return bool(motif(answers)) and motif(answers) != Motif.PREMIERE


def birth_date(answers: dict) -> datetime.date | None:
    return _parse(((answers or {}).get("etat_civil") or {}).get("date_naissance"))


def stamps_due(answers: dict) -> list[tuple[str, str, int]]:
    """(title, stamp purpose, cents) for each title that costs a stamp."""
    from titres.paiements.enums import STAMP_AMOUNTS_CENTS

    born = birth_date(answers)
    if born is None:
        return []
    due = []
    for title in titles(answers):
        purpose = tarifs.stamp_purpose(
            title=title, motif=motif(answers), birth_date=born, on=timezone.localdate()
        )
        if purpose:
            due.append((str(title), str(purpose), STAMP_AMOUNTS_CENTS[purpose]))
    return due


def needs_stamp(answers: dict) -> bool:
    return bool(stamps_due(answers))


def stamp_holder(demarche, field_name: str) -> str:
    return f"demarche:{demarche.number}:{field_name}"


def documents_to_bring(answers: dict) -> list[str]:
    """What the person brings to the town hall (service-public.fr)."""
    documents = [
        _("Le récapitulatif de pré-demande (ou son numéro)"),
        _(
            "Une photo d’identité de moins de 6 mois, conforme aux normes (ou un code photo numérique)"
        ),
        _("Un justificatif de domicile de moins d’un an"),
    ]
    reason = motif(answers)
    if reason in (Motif.RENOUVELLEMENT, Motif.ETAT_CIVIL, Motif.ADRESSE):
        documents.append(_("Le titre à renouveler"))
    if reason == Motif.PREMIERE:
        documents.append(
            _(
                "Un acte de naissance de moins de 3 mois si la commune de naissance n’est pas reliée à COMEDEC"
            )
        )
    if reason == Motif.PERTE:
        documents.append(
            _("Une pièce d’identité avec photo, si vous en avez une (permis de conduire…)")
        )
    if reason == Motif.VOL:
        documents.append(
            _("Le récépissé de déclaration de vol remis par la police ou la gendarmerie")
        )
    if reason == Motif.ETAT_CIVIL:
        documents.append(_("Le justificatif du changement (acte de mariage, jugement…)"))
    if stamps_due(answers):
        documents.append(_("Le numéro du timbre fiscal, déjà enregistré dans la pré-demande"))
    if for_minor(answers):
        documents += [
            _("La pièce d’identité du représentant légal présent au dépôt"),
            _("En cas de divorce ou de séparation : la décision fixant l’autorité parentale"),
        ]
    return [str(d) for d in documents]
