"""Tests about the code itself: audit codes come from the apps' enums.

Each check is a function returning its violations, run on the project and on
a deliberately broken example (so a check that cannot fail would show).
"""

import ast
import re
from pathlib import Path

import pytest

from titres.core.audit import AuditCode, code_enums, registered_codes
from titres.core.audit_renames import RENAMED_CODES

ROOT = Path(__file__).resolve().parents[2] / "titres"
CODE_PATTERN = re.compile(r"^[a-z]+\.[a-z0-9]+(_[a-z0-9]+)*$")


def enum_violations(enums) -> list[str]:
    """Each code is "<app label>.<snake_case>" in its own app's enum, unique."""
    problems, seen = [], {}
    for enum in enums:
        app = enum.__module__.split(".")[1]
        for member in enum:
            if not CODE_PATTERN.match(member.value) or not member.value.startswith(f"{app}."):
                problems.append(f"{enum.__name__}.{member.name} = {member.value!r}")
            if member.value in seen:
                problems.append(f"{member.value!r} declared twice")
            seen[member.value] = member
    return problems


def call_violations(source: str, filename: str = "<source>") -> list[str]:
    """record_event(...) never takes a code written or built on the spot."""
    problems = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name != "record_event" or not node.args:
            continue
        first = node.args[0]
        if _built_on_the_spot(first):
            problems.append(f"{filename}:{node.lineno}: {ast.unparse(first)}")
    return problems


def _built_on_the_spot(value: ast.expr) -> bool:
    """A string written or assembled here (a test may pick between members)."""
    if isinstance(value, ast.IfExp):
        return _built_on_the_spot(value.body) or _built_on_the_spot(value.orelse)
    if isinstance(value, ast.Constant | ast.JoinedStr | ast.BinOp):
        return True
    return isinstance(value, ast.Call) and getattr(value.func, "attr", "") in {"format", "join"}


def project_call_violations() -> list[str]:
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts:
            problems += call_violations(path.read_text(), str(path.relative_to(ROOT.parent)))
    return problems


def test_every_app_code_is_well_formed_and_unique():
    assert code_enums(), "no audit enum found"
    assert enum_violations(code_enums()) == []


def test_record_event_calls_use_enum_members():
    assert project_call_violations() == []


def test_old_spellings_are_not_codes_again():
    # A renamed spelling coming back would make old and new entries ambiguous.
    assert set(RENAMED_CODES) & set(registered_codes()) == set()
    assert set(RENAMED_CODES.values()) <= set(registered_codes())


def test_every_app_that_journals_declares_its_enum():
    journaling = {
        path.relative_to(ROOT).parts[0]
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts and "record_event(" in path.read_text()
    } - {"core"}
    declared = {enum.__module__.split(".")[1] for enum in code_enums()}
    assert journaling <= declared


@pytest.mark.parametrize(
    "source",
    [
        'record_event("account.login", actor=user)',
        'record_event(f"paiements.paiement_{state}")',
        'journal.record_event("a." + kind)',
        'record_event(Events.A if ok else "x.b")',
        'record_event("{}.{}".format(app, kind))',
    ],
)
def test_call_check_fails_on_free_strings(source):
    assert call_violations(source) != []


def test_call_check_accepts_members_and_variables():
    assert call_violations("record_event(Events.A)\nrecord_event(event, data={'a': 'b'})") == []


def test_enum_check_fails_on_a_broken_enum():
    class Misplaced(AuditCode):
        FRENCH_AND_SPACES = "instruction.Dossier consulté"
        OTHER_APP = "accounts.login"
        TWICE = "permis.photo_saved"

    Misplaced.__module__ = "titres.permis.audit"

    class Again(AuditCode):
        TWICE = "permis.photo_saved"

    Again.__module__ = "titres.permis.audit"
    assert len(enum_violations([Misplaced, Again])) == 3


def test_state_to_code_tables_cover_every_state():
    """Where the code depends on a state, every state has its member."""
    from titres.paiements.enums import PaymentState
    from titres.paiements.services import SETTLEMENT_EVENTS
    from titres.vehicules.enums import RegistryEventKind
    from titres.vehicules.services.registry import REGISTRY_EVENTS

    assert set(REGISTRY_EVENTS) == set(RegistryEventKind)
    assert set(SETTLEMENT_EVENTS) == set(PaymentState) - {PaymentState.EN_ATTENTE}
