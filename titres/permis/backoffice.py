"""What the agents' back office shows of a licence file: the hooks of the
licence procedures (renewal, inscription, fabrication) declared in
`ProcedureDefinition` (titres/procedures/backoffice.py). The only code that
reads the licence forms' answers for the back office: the search values,
the person, the e-photo, the SNPC comparison panel, the work list's badge,
and the title factory's report to the SNPC."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.core.journal import record_event
from titres.instruction.audit import InstructionEvent
from titres.procedures.backoffice import (
    AgentPanel,
    ComparisonRow,
    Consultation,
    Decision,
    Person,
    Photo,
    ReviewFlag,
    SearchValues,
)

from . import request_forms as rf
from .enums import LicenceRejectReason
from .identifiers import compact
from .matching import FIELD_LABELS, MatchResult, match_snpc_record
from .models import EPhoto, LicenceRecord, LicenceRequest
from .services import next_title_number, record_new_title

NO_RECORD = gettext_lazy("Aucun dossier du fichier national ne correspond à cette demande.")
BY_POST = gettext_lazy(
    "Le télédéclarant n’a pas de code photo numérique : son talon photo-signature papier "
    "arrive par courrier."
)
# The rows of the comparison, in the order of the SNPC file.
COMPARED = [
    "neph",
    "birth_name",
    "usage_name",
    "first_names",
    "sex",
    "birth_date",
    "birth_commune",
    "birth_departement",
    "birth_country",
]
DECISIONS = (
    Decision(
        value="demande",
        label=gettext_lazy(
            "Les données de la demande sont exactes (le dossier SNPC est à corriger)"
        ),
        retained=gettext_lazy("données de la demande retenues"),
    ),
    Decision(
        value="snpc",
        label=gettext_lazy(
            "Les données du dossier SNPC sont exactes (elles sont retenues pour le titre)"
        ),
        retained=gettext_lazy("données du dossier SNPC retenues"),
    ),
)


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


def declared_neph(answers: dict) -> str:
    """The NEPH of the request: typed at the état civil step (renewal), the
    candidate's at the fabrication's first step, or attributed on the
    inscription's validation (inscription/services.py)."""
    answers = answers or {}
    neph = (
        (answers.get("etat_civil") or {}).get("neph")
        or (answers.get("permis") or {}).get("neph")
        or answers.get("neph")
    )
    return compact(str(neph or ""))[:12]


def declared_civil_status(answers: dict) -> dict:
    """The état civil as the request declares it, every key of
    match_snpc_record (empty when not given), tolerant of missing steps."""
    ec = (answers or {}).get("etat_civil") or {}
    return {
        "birth_name": str(ec.get("nom_naissance") or ""),
        "usage_name": str(ec.get("nom_usage") or ""),
        "first_names": _first_names(ec.get("prenoms")),
        "sex": _sex(ec.get("sexe")),
        "birth_date": _parse_date(ec.get("date_naissance")),
        "birth_commune": str(ec.get("commune_naissance") or ""),
        "birth_departement": str(ec.get("departement_naissance") or ""),
        "birth_country": str(ec.get("pays_naissance") or ""),
    }


def civil_status_of(answers: dict) -> dict:
    """What is compared with the SNPC file: the declared état civil; for a
    person born abroad the country, else the commune and département."""
    declared = declared_civil_status(answers)
    status = {
        "birth_name": declared["birth_name"],
        "first_names": declared["first_names"],
        "sex": declared["sex"],
        "birth_date": declared["birth_date"].isoformat() if declared["birth_date"] else "",
    }
    if declared["usage_name"]:
        status["usage_name"] = declared["usage_name"]
    if declared["birth_country"]:
        status["birth_country"] = declared["birth_country"]
    else:
        status["birth_commune"] = declared["birth_commune"]
        status["birth_departement"] = declared["birth_departement"]
    return status


def snpc_match(demarche) -> MatchResult:
    answers = demarche.answers or {}
    return match_snpc_record(
        neph=declared_neph(answers) or None, civil_status=civil_status_of(answers)
    )


def _motif(answers: dict) -> str:
    return str(((answers or {}).get("motif") or {}).get("motif") or "")


# --- Hooks ---------------------------------------------------------------------------


def search_values(demarche) -> SearchValues:
    answers = demarche.answers or {}
    declared = declared_civil_status(answers)
    address = answers.get("adresse") or {}
    return SearchValues(
        last_name=declared["birth_name"],
        usage_name=declared["usage_name"],
        first_names=declared["first_names"],
        birth_date=declared["birth_date"],
        sex=declared["sex"],
        reference=declared_neph(answers),
        motif=_motif(answers),
        postal_code=str(address.get("code_postal") or ""),
        departement=str(address.get("departement") or ""),
    )


def person(demarche) -> Person:
    """The licence holder: the declared état civil, with the NEPH and the
    categories of the SNPC file found at submission (`_snpc`, stored by
    on_submitted; no query when none was found), else the NEPH typed."""
    answers = demarche.answers or {}
    declared = declared_civil_status(answers)
    stored = answers.get("_snpc") or {}
    record = None
    if stored.get("record_id"):
        record = (
            LicenceRecord.objects.filter(pk=stored["record_id"])
            .prefetch_related("categories")
            .first()
        )
    neph = (record.neph if record else "") or stored.get("neph") or declared_neph(answers)
    details = [(str(_("Numéro de dossier (NEPH)")), neph)]
    if record is not None:
        details.append(
            (str(_("Catégories")), ", ".join(c.category for c in record.categories_in_order))
        )
    place = declared["birth_country"] or " ".join(
        p for p in (declared["birth_commune"], declared["birth_departement"]) if p
    )
    return Person(
        last_name=declared["birth_name"],
        usage_name=declared["usage_name"],
        first_names=declared["first_names"],
        birth_date=declared["birth_date"],
        sex=declared["sex"],
        birth_place=place,
        details=[(label, value) for label, value in details if value],
    )


def photo(demarche) -> Photo:
    answers = demarche.answers or {}
    code = str((answers.get("photo") or {}).get("code_ephoto") or "")
    if not code:
        return Photo(note=str(BY_POST) if rf.photo_mode(answers) == rf.TALON else "")
    ephoto = EPhoto.objects.filter(code=compact(code)).first()
    return Photo(
        code=code,
        found=ephoto is not None,
        image=ephoto.image if ephoto else None,
        signature=ephoto.signature if ephoto else None,
        target=ephoto,
    )


def _fmt(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def agent_panel(demarche) -> AgentPanel:
    """The request's data beside the national licence file (SNPC): the
    file's state, points and titles, then each civil-status field declared
    and recorded, differences flagged; a difference needs the agent's
    decision before validation."""
    answers = demarche.answers or {}
    match = snpc_match(demarche)
    record = match.record
    declared = {**declared_civil_status(answers), "neph": declared_neph(answers)}
    different = {d.field for d in match.differences}
    rows = []
    for key in COMPARED:
        recorded = ""
        if record is not None:
            recorded = record.neph if key == "neph" else getattr(record, key, "")
        differs = key in different or (
            key == "neph"
            and bool(declared["neph"])
            and record is not None
            and declared["neph"] != record.neph
        )
        rows.append(
            ComparisonRow(
                label=str(FIELD_LABELS.get(key, key)),
                declared=_fmt(declared.get(key)),
                recorded=_fmt(recorded),
                differs=differs,
            )
        )
    return AgentPanel(
        title=str(_("Consultation SNPC")),
        template="permis/backoffice/_snpc_record.html" if record is not None else "",
        context={"record": record},
        caption=str(_("Information de la demande et dossier SNPC")),
        declared_label=str(_("Déclaré dans la demande")),
        recorded_label=str(_("Dossier SNPC")),
        rows=rows,
        missing="" if record is not None else str(NO_RECORD),
        notes=[str(note) for note in match.notes],
        differences=[d.label for d in match.differences],
        decision_choices=DECISIONS,
        decision_question=str(
            _(
                "Des différences avec le dossier SNPC sont signalées : quelles données sont "
                "exactes ?"
            )
        ),
        decision_message=str(
            _(
                "Des différences avec le dossier SNPC ne sont pas résolues : indiquez quelles "
                "données sont exactes avant de valider la demande."
            )
        ),
        decision_comment=str(
            _("Différences avec le dossier SNPC vérifiées (%(fields)s) : %(retained)s.")
        ),
        consultation=Consultation(
            event=InstructionEvent.SNPC_VIEWED, target=record, data={"neph": record.neph}
        )
        if record is not None
        else None,
    )


REVIEW_FLAG = ReviewFlag(
    label=gettext_lazy("Écart SNPC à vérifier"),
    # The submission's SNPC match was not exact (no file, ambiguous,
    # differences): LicenceRequest.needs_review, set by on_submitted.
    expression=lambda: Exists(
        LicenceRequest.objects.filter(demarche=OuterRef("pk"), needs_review=True)
    ),
)


def new_title_number(demarche) -> str:
    return next_title_number(timezone.localdate())


def title_produced(demarche, *, title_number: str) -> None:
    """The factory made the card: record it on the holder's SNPC file; the
    old card is marked according to the motif (lost, stolen, damaged,
    replaced)."""
    match = snpc_match(demarche)
    if match.record is None:
        record_event(
            InstructionEvent.SNPC_NOT_UPDATED,
            target=demarche,
            data={"demarche": demarche.number, "motif": "dossier SNPC introuvable"},
        )
        return
    record_new_title(
        record=match.record,
        actor=None,
        number=title_number,
        motif=_motif(demarche.answers or {}),
        demarche_number=demarche.number,
    )


def hooks() -> dict:
    """The back-office hooks shared by the licence procedures, as keyword
    arguments of ProcedureDefinition."""
    return {
        "search_values": search_values,
        "person": person,
        "photo": photo,
        "agent_panel": agent_panel,
        "review_flag": REVIEW_FLAG,
        "motifs": rf.MOTIF_CHOICES,
        "reject_reasons": list(LicenceRejectReason.choices),
        "new_title_number": new_title_number,
        "title_produced": title_produced,
    }
