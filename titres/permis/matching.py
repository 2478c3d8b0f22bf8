"""Matching a request's declared civil status to the national file (SNPC).

A request is matched by its NEPH when the citizen knows it, otherwise by
normalised civil status (birth name or usage name + date of birth, then
first names). Every field that differs between the declaration and the file
is listed, so the agent sees mismatches instead of a silent "found"."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.core.normalisation import normalise_commune, normalise_first_names, normalise_name

from .enums import LicenceState
from .identifiers import compact
from .models import LicenceRecord

# Keys of the `civil_status` dict and how to compare each one.
FIELD_LABELS = {
    "neph": gettext_lazy("Numéro de dossier (NEPH)"),
    "birth_name": gettext_lazy("Nom de naissance"),
    "usage_name": gettext_lazy("Nom d’usage"),
    "first_names": gettext_lazy("Prénoms"),
    "sex": gettext_lazy("Sexe"),
    "birth_date": gettext_lazy("Date de naissance"),
    "birth_commune": gettext_lazy("Commune de naissance"),
    "birth_departement": gettext_lazy("Département de naissance"),
    "birth_country": gettext_lazy("Pays de naissance"),
}
_NORMALISERS = {
    "birth_name": normalise_name,
    "usage_name": normalise_name,
    "first_names": normalise_first_names,
    "sex": lambda v: (v or "").strip().upper()[:1],
    "birth_date": lambda v: v.isoformat() if isinstance(v, date) else (v or "").strip(),
    "birth_commune": normalise_commune,
    "birth_departement": lambda v: (v or "").strip().upper().lstrip("0"),
    "birth_country": normalise_name,
}


class MatchMethod:
    NEPH = "neph"
    CIVIL_STATUS = "etat_civil"
    NONE = "aucune"


@dataclass(frozen=True)
class Difference:
    field: str
    declared: str
    recorded: str

    @property
    def label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))

    def as_dict(self) -> dict:
        return {
            "field": self.field,
            "label": self.label,
            "declared": self.declared,
            "recorded": self.recorded,
        }


@dataclass
class MatchResult:
    record: LicenceRecord | None
    method: str
    differences: list[Difference] = field(default_factory=list)
    # Several files share the declared civil status: the agent chooses.
    candidates: list[LicenceRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.record is not None

    @property
    def is_exact(self) -> bool:
        """Found, and the declaration agrees with the file on every field."""
        return self.found and not self.differences and not self.notes

    @property
    def ambiguous(self) -> bool:
        return self.record is None and len(self.candidates) > 1

    def as_dict(self) -> dict:
        """JSON-serialisable summary to store on a request."""
        return {
            "method": self.method,
            "neph": self.record.neph if self.record else None,
            "record_id": self.record.pk if self.record else None,
            "differences": [d.as_dict() for d in self.differences],
            "candidates": [c.neph for c in self.candidates],
            "notes": self.notes,
        }


def _display(record: LicenceRecord, key: str) -> str:
    value = getattr(record, key)
    if key == "birth_date":
        return value.isoformat()
    return value or ""


def _declared_display(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def compare_civil_status(record: LicenceRecord, civil_status: dict) -> list[Difference]:
    """Fields present in `civil_status` whose normalised value differs."""
    differences = []
    for key, normalise in _NORMALISERS.items():
        if key not in civil_status:
            continue
        declared = civil_status[key]
        if normalise(declared) != normalise(getattr(record, key)):
            differences.append(Difference(key, _declared_display(declared), _display(record, key)))
    return differences


def _parse_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        return None


def _candidates_by_civil_status(civil_status: dict) -> list[LicenceRecord]:
    birth_date = _parse_date(civil_status.get("birth_date"))
    names = {
        normalise_name(civil_status.get("birth_name")),
        normalise_name(civil_status.get("usage_name")),
    } - {""}
    if birth_date is None or not names:
        return []
    qs = LicenceRecord.objects.filter(birth_date=birth_date)
    by_birth_name = list(qs.filter(birth_name_normalised__in=names))
    candidates = by_birth_name or list(qs.filter(usage_name_normalised__in=names))
    if len(candidates) > 1:
        # Narrow by first names: all of them in order, else the first one.
        declared = normalise_first_names(civil_status.get("first_names"))
        if declared:
            same = [c for c in candidates if c.first_names_normalised == declared]
            if not same:
                first = declared.split(",")[0]
                same = [c for c in candidates if c.first_names_normalised.split(",")[0] == first]
            candidates = same or candidates
    return candidates


def match_snpc_record(*, neph: str | None = None, civil_status: dict) -> MatchResult:
    """Find the SNPC file of the person a request is about.

    `civil_status` keys (each optional; only the keys given are compared):
    birth_name, usage_name, first_names (list in civil order, or
    comma-separated string), sex ("F"/"M"), birth_date (date or ISO string),
    birth_commune, birth_departement, birth_country."""
    neph = compact(neph)
    notes = []
    if neph:
        record = LicenceRecord.objects.filter(neph=neph).first()
        if record is not None:
            return MatchResult(record, MatchMethod.NEPH, compare_civil_status(record, civil_status))
        notes.append(
            _("Aucun dossier ne porte le numéro %(neph)s : recherche par état civil.")
            % {"neph": neph}
        )
    candidates = _candidates_by_civil_status(civil_status)
    if len(candidates) == 1:
        record = candidates[0]
        differences = compare_civil_status(record, civil_status)
        if neph:
            differences.insert(0, Difference("neph", neph, record.neph))
        return MatchResult(record, MatchMethod.CIVIL_STATUS, differences, candidates, notes)
    if candidates:
        notes.append(
            _("%(count)d dossiers correspondent à cet état civil : vérification manuelle.")
            % {"count": len(candidates)}
        )
    else:
        notes.append(_("Aucun dossier du fichier national ne correspond à cet état civil."))
    return MatchResult(None, MatchMethod.NONE, [], candidates, notes)


def licence_refusal_reason(record: LicenceRecord | None) -> str | None:
    """Why a replacement title cannot be requested for this file (French
    text shown at the summary step), or None when nothing prevents it."""
    if record is None:
        return None
    if record.state == LicenceState.SUSPENDU:
        if record.suspension_end:
            return _(
                "Votre permis de conduire fait l’objet d’une suspension en cours "
                "d’exécution jusqu’au %(date)s : vous ne pouvez pas demander de nouveau "
                "titre pendant la suspension."
            ) % {"date": record.suspension_end.strftime("%d/%m/%Y")}
        return _(
            "Votre permis de conduire fait l’objet d’une suspension en cours "
            "d’exécution : vous ne pouvez pas demander de nouveau titre pendant la "
            "suspension."
        )
    if record.state == LicenceState.ANNULE:
        return _(
            "Votre permis de conduire a été annulé : il ne peut pas être renouvelé. "
            "Vous devez repasser l’examen du permis de conduire après la période "
            "d’interdiction fixée par le juge."
        )
    if record.state == LicenceState.INVALIDE:
        return _(
            "Votre permis de conduire a été invalidé (solde de points nul) : il ne peut "
            "pas être renouvelé. Vous devez restituer votre titre et repasser l’examen."
        )
    return None
