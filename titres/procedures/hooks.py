"""What the agents' back office asks the procedure of a file.

The hooks' types are in backoffice.py; this module looks up the file's
`ProcedureDefinition` and calls the hook it declares, with the answer the
back office expects when the procedure declares none (an empty search entry,
no person, no panel…). titres/instruction/ reads procedures only through
these functions (tests/test_backoffice_boundary.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .backoffice import AgentPanel, Person, Photo, ReviewFlag, SearchValues
from .registry import all_procedures, find_procedure

if TYPE_CHECKING:
    from .models import Demarche


def hook_of(demarche: Demarche, name: str):
    """The procedure's hook `name` for this file, or None (unknown
    procedure or hook not given)."""
    definition = find_procedure(demarche.procedure_code)
    return getattr(definition, name, None) if definition is not None else None


def search_values_of(demarche: Demarche) -> SearchValues:
    hook = hook_of(demarche, "search_values")
    return hook(demarche) if hook else SearchValues()


def person_of(demarche: Demarche) -> Person | None:
    hook = hook_of(demarche, "person")
    return hook(demarche) if hook else None


def photo_of(demarche: Demarche) -> Photo | None:
    hook = hook_of(demarche, "photo")
    return hook(demarche) if hook else None


def agent_panel_of(demarche: Demarche) -> AgentPanel | None:
    hook = hook_of(demarche, "agent_panel")
    return hook(demarche) if hook else None


def reject_reasons_of(demarche: Demarche) -> list[tuple[str, str]]:
    """The rejection reasons the file's procedure declares (its registry's
    checks: "État civil incohérent avec le dossier SNPC" for a licence,
    "Données incohérentes avec le SIV" for a vehicle…), as (code, label);
    the back office adds the reasons common to every file around them."""
    return [(code, str(label)) for code, label in hook_of(demarche, "reject_reasons") or ()]


def review_flags() -> list[tuple[ReviewFlag, list[str]]]:
    """Each distinct review flag with the codes of the procedures using it."""
    flags: dict[int, tuple[ReviewFlag, list[str]]] = {}
    for definition in all_procedures():
        flag = definition.review_flag
        if flag is not None:
            flags.setdefault(id(flag), (flag, []))[1].append(definition.code)
    return list(flags.values())


def motif_label(code: str) -> str:
    """The label a person reads for a motif code given in `search_values`
    ("vol" → "Vol du titre"), from the procedures' `motifs`; the code
    itself when no procedure declares it."""
    for definition in all_procedures():
        for value, label in definition.motifs:
            if value == code:
                return str(label)
    return code
