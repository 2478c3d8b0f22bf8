"""What a procedure tells the agents' back office about its files.

The back office (titres/instruction/) knows no procedure's answers: it
asks the file's `ProcedureDefinition` through four hooks, each written by
the procedure's own app next to its forms (so renaming a form field means
changing the hook beside it, and the tests of that app catch it):

- `search_values(demarche) -> SearchValues`: what the agents' search
  indexes (names, birth date, sex, the file's main number...);
- `person(demarche) -> Person | None`: the person the file is about (the
  header of the agent's file page, the attestation provisoire);
- `photo(demarche) -> Photo | None`: the identity photo and signature, if
  the procedure has one;
- `agent_panel(demarche) -> AgentPanel | None`: the block beside the
  file's data on the agent's page — the comparison with the registry the
  procedure relies on (SNPC for licences, SIV for vehicles).

and, for the work list, `review_flag`: a badge on the rows whose registry
comparison needs a look. A procedure without a hook simply shows nothing in
that place. The back office reads them through `hooks.search_values_of`,
`person_of`, `photo_of`, `agent_panel_of` and `review_flags`. See
docs/procedures.md ("The back office's hooks").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from titres.core.audit import AuditCode


@dataclass(frozen=True, kw_only=True)
class SearchValues:
    """The values the agents' advanced search finds a file by, as declared
    (the back office normalises names and numbers itself).

    `reference`: the file's main number an agent types (NEPH, plate, title
    number: letters and digits, spaces and dashes ignored). `motif`: a code
    of the procedure's motif choices (the search's "Motif" filter).
    `postal_code` / `departement`: where the person lives (the département
    is derived from the postal code when not given)."""

    last_name: str = ""
    usage_name: str = ""
    first_names: Sequence[str] = ()
    birth_date: date | None = None
    sex: str = ""  # "M", "F" or ""
    reference: str = ""
    motif: str = ""
    postal_code: str = ""
    departement: str = ""


@dataclass(frozen=True, kw_only=True)
class Person:
    """The person a file is about (who the title is for, not always who
    filed it). `details`: further (label, value) pairs worth printing with
    the civil status, e.g. the licence's NEPH and categories."""

    last_name: str = ""
    usage_name: str = ""
    first_names: Sequence[str] = ()
    birth_date: date | None = None
    sex: str = ""
    birth_place: str = ""
    details: Sequence[tuple[str, str]] = ()

    @property
    def display_name(self) -> str:
        names = " ".join(n for n in (self.last_name.upper(), ", ".join(self.first_names)) if n)
        if self.usage_name:
            names += f" ({self.usage_name.upper()})"
        return names


@dataclass(frozen=True, kw_only=True)
class Photo:
    """The identity photo and signature of a file. `code`: the reference
    shown to the agent (an e-photo code), `found`: whether it designates a
    stored photo; `image` / `signature`: file fields (None when absent);
    `target`: the object journaled when an agent opens them; `note`: what
    to say when there is no code (e.g. a paper slip sent by post)."""

    code: str = ""
    found: bool = False
    image: Any = None
    signature: Any = None
    target: Any = None
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class ComparisonRow:
    """One line of a registry comparison: what the file says, what the
    registry holds, and whether they differ (highlighted)."""

    label: str
    declared: str = ""
    recorded: str = ""
    differs: bool = False


@dataclass(frozen=True, kw_only=True)
class Consultation:
    """A registry record shown to an agent: journaled with `event` (a
    member of the owning app's audit enum), `target` and `data`."""

    event: AuditCode
    target: Any
    data: dict = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Decision:
    """One answer an agent may give when the file and the registry differ:
    `value` (posted), `label` (the radio button), `retained` (the phrase
    written in the history, e.g. "données du dossier SNPC retenues")."""

    value: str
    label: str
    retained: str


@dataclass(frozen=True, kw_only=True)
class AgentPanel:
    """The registry block of the agent's file page.

    - `title`: its heading ("Consultation SNPC");
    - `template`: an optional template of the procedure's app showing the
      registry record, included with the panel's `context` (as `panel`)
      above the comparison table;
    - `caption` / `declared_label` / `recorded_label`: the comparison
      table's caption and column headings; `rows`: its lines;
    - `missing`: the warning shown when the registry has no record;
    - `notes`: remarks of the matching (e.g. "several files share...");
    - `differences`: labels of the fields that differ; with
      `decision_choices` (Decision), the agent must say which
      data is right before validating (`decision_required`): the form asks
      `decision_question`, a missing answer is refused with
      `decision_message`, and `decision_comment` % {"fields", "retained"}
      is written in the history;
    - `consultation`: journaled each time the panel is shown.
    """

    title: str
    rows: Sequence[ComparisonRow] = ()
    caption: str = ""
    declared_label: str = ""
    recorded_label: str = ""
    template: str = ""
    context: dict = field(default_factory=dict)
    missing: str = ""
    notes: Sequence[str] = ()
    differences: Sequence[str] = ()
    decision_choices: Sequence[Decision] = ()
    decision_question: str = ""
    decision_message: str = ""
    decision_comment: str = ""
    consultation: Consultation | None = None

    @property
    def has_differences(self) -> bool:
        return bool(self.differences) or any(row.differs for row in self.rows)

    @property
    def decision_required(self) -> bool:
        return bool(self.differences) and bool(self.decision_choices)


@dataclass(frozen=True, kw_only=True)
class ReviewFlag:
    """A badge on the work list's rows: `label` ("Écart SNPC à vérifier")
    where `expression()` — a boolean expression over Demarche, e.g. an
    Exists subquery — is true. An expression, not a Python test, so the
    list's query count does not depend on its rows."""

    label: str
    expression: Callable[[], Any]
