"""The advanced search of seed 002 over the denormalised index
(`DemarcheSearchEntry`), and the extraction that fills it.

The same `search_demarches` queryset is used by the view, the CSV export
and bench/search.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from titres.core import numbering
from titres.permis.normalisation import normalise_first_names, normalise_name
from titres.procedures.enums import Status
from titres.procedures.models import Demarche
from titres.procedures.registry import FormStep, all_procedures

from .enums import SortOrder
from .models import DemarcheSearchEntry


def _get(answers: dict, *paths: str, default=""):
    """First non-empty value among dotted `paths` ("etat_civil.nom_naissance")."""
    for path in paths:
        node = answers
        for part in path.split("."):
            if not isinstance(node, dict):
                node = None
                break
            node = node.get(part)
        if node not in (None, "", [], {}):
            return node
    return default


def _parse_date(value) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    return None


def _first_names(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _sex(value) -> str:
    text = str(value or "").strip().upper()
    if text in {"H", "M", "HOMME", "MASCULIN"}:
        return "M"
    if text in {"F", "FEMME", "FEMININ", "FÉMININ"}:
        return "F"
    return ""


def _digits(value, length: int) -> str:
    text = "".join(c for c in str(value or "") if c.isalnum()).upper()
    return text[:length]


def civil_status(answers: dict) -> dict:
    """Declared civil status from the answers, tolerant of missing steps
    (keys of permis.matching.match_snpc_record)."""
    answers = answers or {}
    return {
        "birth_name": str(_get(answers, "etat_civil.nom_naissance", "etat_civil.nom")),
        "usage_name": str(_get(answers, "etat_civil.nom_usage")),
        "first_names": _first_names(_get(answers, "etat_civil.prenoms", "etat_civil.prenom")),
        "sex": _sex(_get(answers, "etat_civil.sexe")),
        "birth_date": _parse_date(_get(answers, "etat_civil.date_naissance")),
        "birth_commune": str(_get(answers, "etat_civil.commune_naissance")),
        "birth_departement": str(_get(answers, "etat_civil.departement_naissance")),
        "birth_country": str(_get(answers, "etat_civil.pays_naissance")),
    }


def declared_neph(answers: dict) -> str:
    return _digits(_get(answers or {}, "etat_civil.neph", "permis.neph", "neph"), 12)


def motif_label(code: str) -> str:
    """The label a person reads for a declared motif code ("vol" → "Vol du
    titre"): taken from the "motif" field of the registered procedures'
    forms; the code itself when no procedure knows it."""
    for definition in all_procedures():
        for step in definition.steps:
            if not isinstance(step, FormStep):
                continue
            field = step.form_class.base_fields.get("motif")
            for value, label in getattr(field, "choices", None) or ():
                if value == code:
                    return str(label)
    return code


def declared_motif(answers: dict) -> str:
    motif = _get(answers or {}, "motif.motif", "motif")
    return str(motif)[:60] if not isinstance(motif, dict) else ""


def entry_values(demarche: Demarche) -> dict:
    answers = demarche.answers or {}
    status = civil_status(answers)
    first_names = status["first_names"]
    postal_code = _digits(_get(answers, "adresse.code_postal", "coordonnees.code_postal"), 5)
    departement = ""
    if postal_code:
        departement = postal_code[:3] if postal_code.startswith("97") else postal_code[:2]
        if departement == "20":
            departement = "2A" if postal_code < "20200" else "2B"
    departement = str(_get(answers, "adresse.departement", default=departement))[:3]
    submitted = demarche.submitted_at or demarche.created_at
    return {
        "last_name_display": status["birth_name"][:100],
        "first_names_display": ", ".join(first_names)[:200],
        "last_name": normalise_name(status["birth_name"])[:100],
        "usage_name": normalise_name(status["usage_name"])[:100],
        "first_name": normalise_name(first_names[0])[:100] if first_names else "",
        "first_names": normalise_first_names(first_names)[:200],
        "birth_date": status["birth_date"],
        "sex": status["sex"],
        "neph": declared_neph(answers),
        "motif": declared_motif(answers),
        "postal_code": postal_code,
        "departement": departement,
        "year": timezone.localtime(submitted).year if submitted else None,
    }


def index_demarche(demarche: Demarche) -> DemarcheSearchEntry | None:
    """Create or refresh the search entry of a submitted démarche (drafts
    are not searchable: agents never see them)."""
    if demarche.status == Status.BROUILLON:
        return None
    entry, _created = DemarcheSearchEntry.objects.update_or_create(
        demarche_id=demarche.pk, defaults=entry_values(demarche)
    )
    return entry


@dataclass
class Criteria:
    nom: str = ""
    prenom: str = ""
    date_naissance: date | None = None
    sexe: str = ""
    neph: str = ""
    numero: str = ""
    annee: int | None = None
    departement: str = ""
    code_postal: str = ""
    modifie_du: date | None = None
    modifie_au: date | None = None
    statut: str = ""
    motif: str = ""
    tri: str = SortOrder.ANCIENNES


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


ORDERINGS = {
    SortOrder.ANCIENNES: ["submitted_at", "id"],
    SortOrder.RECENTES: ["-submitted_at", "-id"],
    SortOrder.NOM: ["search_entry__last_name", "search_entry__first_name", "id"],
    SortOrder.MODIFICATION: ["-updated_at", "-id"],
}


def search_demarches(queryset: QuerySet[Demarche], criteria: Criteria) -> QuerySet[Demarche]:
    """Filter `queryset` (already limited to what the agent may see) by
    the criteria; names and first names ignore accents and case."""
    c = criteria
    q = Q()
    if c.nom:
        name = normalise_name(c.nom)
        q &= Q(search_entry__last_name=name) | Q(search_entry__usage_name=name)
    if c.prenom:
        first = normalise_name(c.prenom)
        q &= Q(search_entry__first_name=first) | Q(search_entry__first_names__contains=first)
    if c.date_naissance:
        q &= Q(search_entry__birth_date=c.date_naissance)
    if c.sexe:
        q &= Q(search_entry__sex=c.sexe)
    if c.neph:
        q &= Q(search_entry__neph=_digits(c.neph, 12))
    if c.numero:
        q &= Q(number=numbering.normalize(c.numero))
    if c.annee:
        q &= Q(search_entry__year=c.annee)
    if c.departement:
        q &= Q(search_entry__departement=c.departement.strip().upper())
    if c.code_postal:
        q &= Q(search_entry__postal_code=_digits(c.code_postal, 5))
    if c.modifie_du:
        q &= Q(updated_at__gte=_day_start(c.modifie_du))
    if c.modifie_au:
        q &= Q(updated_at__lt=_day_start(c.modifie_au + timedelta(days=1)))
    if c.statut:
        q &= Q(status=c.statut)
    if c.motif:
        q &= Q(search_entry__motif=c.motif)
    ordering = ORDERINGS.get(c.tri, ORDERINGS[SortOrder.ANCIENNES])
    return queryset.filter(q).select_related("search_entry").order_by(*ordering)
