"""The request's data beside the national licence file (SNPC)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, OuterRef, Value
from django.utils.translation import gettext_lazy as _

from .search import civil_status, declared_neph

try:  # the permis app owns the SNPC; the back office works without it
    from titres.permis.matching import FIELD_LABELS, match_snpc_record
    from titres.permis.models import LicenceRequest
except ImportError:  # pragma: no cover
    match_snpc_record = None
    LicenceRequest = None
    FIELD_LABELS = {}


def needs_review_annotation():
    """Boolean expression over Demarche: the submission's SNPC match was not
    exact (no file, ambiguous, or differences: permis'
    `LicenceRequest.needs_review`). A subquery in the list's own SQL, so the
    work list's query count does not depend on its rows."""
    if LicenceRequest is None:  # pragma: no cover
        return Value(False, output_field=BooleanField())
    return Exists(LicenceRequest.objects.filter(demarche=OuterRef("pk"), needs_review=True))


def match_for(demarche):
    """MatchResult of permis.matching for the person the request is about,
    or None when the SNPC is not available."""
    if match_snpc_record is None:
        return None
    status = {k: v for k, v in civil_status(demarche.answers).items() if v not in ("", [], None)}
    return match_snpc_record(neph=declared_neph(demarche.answers) or None, civil_status=status)


@dataclass
class Row:
    key: str
    label: str
    declared: str
    recorded: str
    differs: bool


def _fmt(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def comparison(demarche, match) -> list[Row]:
    """One row per civil-status field: declared, recorded, and whether the
    matching helper found a difference."""
    declared = civil_status(demarche.answers)
    declared["neph"] = declared_neph(demarche.answers)
    record = match.record if match else None
    different = {d.field for d in match.differences} if match else set()
    rows = []
    for key in [
        "neph",
        "birth_name",
        "usage_name",
        "first_names",
        "sex",
        "birth_date",
        "birth_commune",
        "birth_departement",
        "birth_country",
    ]:
        recorded = ""
        if record is not None:
            recorded = record.neph if key == "neph" else getattr(record, key, "")
        rows.append(
            Row(
                key=key,
                label=str(FIELD_LABELS.get(key, key)),
                declared=_fmt(declared.get(key)),
                recorded=_fmt(recorded),
                differs=key in different
                or (
                    key == "neph"
                    and bool(declared["neph"])
                    and record is not None
                    and declared["neph"] != record.neph
                ),
            )
        )
    return rows


NO_RECORD = _("Aucun dossier du fichier national ne correspond à cette demande.")
