"""What an agent would see of an ID card / passport pré-demande in the back
office (the hooks of ProcedureDefinition, titres/procedures/backoffice.py):
the search values and the person (the état civil of the person the title
is for), and the register of issued titles beside the former title the
request declares. The only code that reads the pré-demande's answers for
the back office."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from titres.procedures.backoffice import (
    AgentPanel,
    ComparisonRow,
    Consultation,
    Person,
    SearchValues,
)

from ..audit import IdentiteEvent
from ..enums import IdentityRejectReason, Motif
from ..models import IssuedTitle, TitleState
from . import rules


def _etat_civil(demarche) -> dict:
    return (demarche.answers or {}).get("etat_civil") or {}


def _names(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _former(demarche) -> dict:
    return (demarche.answers or {}).get("ancien_titre") or {}


def _day(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def search_values(demarche) -> SearchValues:
    ec = _etat_civil(demarche)
    answers = demarche.answers or {}
    return SearchValues(
        last_name=str(ec.get("nom_naissance") or ""),
        usage_name=str(ec.get("nom_usage") or ""),
        first_names=_names(ec.get("prenoms")),
        birth_date=rules.birth_date(answers),
        sex=str(ec.get("sexe") or "")[:1].upper(),
        reference=str(_former(demarche).get("numero") or ""),
        motif=rules.motif(answers),
        postal_code=str((answers.get("adresse") or {}).get("code_postal") or ""),
    )


def person(demarche) -> Person:
    ec = _etat_civil(demarche)
    place = ec.get("pays_naissance") or " ".join(
        str(p) for p in (ec.get("commune_naissance"), ec.get("code_postal_naissance")) if p
    )
    return Person(
        last_name=str(ec.get("nom_naissance") or ""),
        usage_name=str(ec.get("nom_usage") or ""),
        first_names=_names(ec.get("prenoms")),
        birth_date=rules.birth_date(demarche.answers or {}),
        sex=str(ec.get("sexe") or "")[:1].upper(),
        birth_place=str(place),
    )


def agent_panel(demarche) -> AgentPanel | None:
    """The former title declared, beside the register of issued titles
    (none for a first request)."""
    former = _former(demarche)
    if not rules.has_former_title(demarche.answers or {}):
        return None
    number = str(former.get("numero") or "").replace(" ", "").upper()
    title = IssuedTitle.objects.filter(number=number).first() if number else None
    declared_on = _day(former.get("date_delivrance"))
    state = title.state(timezone.localdate()) if title else ""
    motif = rules.motif(demarche.answers or {})
    rows = [
        ComparisonRow(
            label=str(_("Numéro du titre précédent")),
            declared=number,
            recorded=title.number if title else "",
        ),
        ComparisonRow(
            label=str(_("Date de délivrance")),
            declared=declared_on.strftime("%d/%m/%Y") if declared_on else "",
            recorded=title.issued_on.strftime("%d/%m/%Y") if title else "",
            differs=bool(title and declared_on) and declared_on != title.issued_on,
        ),
    ]
    if title is not None:
        declared_state = {
            Motif.PERTE: TitleState.DECLARE_PERDU,
            Motif.VOL: TitleState.DECLARE_VOLE,
        }.get(motif)
        rows.append(
            ComparisonRow(
                label=str(_("État du titre")),
                declared=str(Motif(motif).label) if motif in Motif.values else "",
                recorded=str(TitleState(state).label),
                differs=bool(declared_state) and state != declared_state,
            )
        )
    return AgentPanel(
        title=str(_("Consultation des titres délivrés")),
        caption=str(_("Titre précédent déclaré et registre des titres délivrés")),
        declared_label=str(_("Déclaré dans la demande")),
        recorded_label=str(_("Registre")),
        rows=rows,
        missing="" if title else str(_("Aucun titre délivré ne porte ce numéro.")),
        consultation=Consultation(
            event=IdentiteEvent.REGISTER_VIEWED, target=title, data={"titre": title.number}
        )
        if title
        else None,
    )


def hooks() -> dict:
    return {
        "search_values": search_values,
        "person": person,
        "agent_panel": agent_panel,
        "motifs": list(Motif.choices),
        "reject_reasons": list(IdentityRejectReason.choices),
    }
