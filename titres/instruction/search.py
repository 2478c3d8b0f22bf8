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
from titres.core.normalisation import normalise_first_names, normalise_name
from titres.procedures.enums import Status
from titres.procedures.hooks import search_values_of
from titres.procedures.models import Demarche

from .enums import SortOrder
from .models import REFERENCE_LENGTH, DemarcheSearchEntry


def _alnum(value, length: int) -> str:
    """Letters and digits only, upper case: "1234 5678 9012" and
    "ab-123-cd" are typed as they are printed."""
    text = "".join(c for c in str(value or "") if c.isalnum()).upper()
    return text[:length]


def _departement(postal_code: str) -> str:
    if not postal_code:
        return ""
    departement = postal_code[:3] if postal_code.startswith("97") else postal_code[:2]
    if departement == "20":
        departement = "2A" if postal_code < "20200" else "2B"
    return departement


def entry_values(demarche: Demarche) -> dict:
    """The search entry of a file, from its procedure's `search_values`
    hook (titres/procedures/backoffice.py): names and numbers normalised
    here, so every procedure is searched alike."""
    values = search_values_of(demarche)
    first_names = [str(n).strip() for n in values.first_names if str(n).strip()]
    postal_code = _alnum(values.postal_code, 5)
    departement = str(values.departement or _departement(postal_code)).upper()[:3]
    submitted = demarche.submitted_at or demarche.created_at
    return {
        "last_name_display": str(values.last_name)[:100],
        "first_names_display": ", ".join(first_names)[:200],
        "last_name": normalise_name(values.last_name)[:100],
        "usage_name": normalise_name(values.usage_name)[:100],
        "first_name": normalise_name(first_names[0])[:100] if first_names else "",
        "first_names": normalise_first_names(first_names)[:200],
        "birth_date": values.birth_date,
        "sex": values.sex if values.sex in {"M", "F"} else "",
        "reference": _alnum(values.reference, REFERENCE_LENGTH),
        "motif": str(values.motif)[:60],
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
    reference: str = ""
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
    if c.reference:
        q &= Q(search_entry__reference=_alnum(c.reference, REFERENCE_LENGTH))
    if c.numero:
        q &= Q(number=numbering.normalize(c.numero))
    if c.annee:
        q &= Q(search_entry__year=c.annee)
    if c.departement:
        q &= Q(search_entry__departement=c.departement.strip().upper())
    if c.code_postal:
        q &= Q(search_entry__postal_code=_alnum(c.code_postal, 5))
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
