"""A test about the code itself (issue 13 item 1): the agents' back office
(titres/instruction/) knows no procedure. It reads files only through the
hooks of ProcedureDefinition (titres/procedures/backoffice.py), so it must
not import a procedure app (permis, vehicules, identite) nor spell one of the
licence forms' answer keys (renaming a form field would silently empty the
search, the SNPC comparison, the attestation or the photo).

Each check is shown failing on a deliberately broken sample."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

BACK_OFFICE = Path(__file__).resolve().parent.parent / "titres" / "instruction"
DOMAIN_APPS = ("titres.permis", "titres.vehicules", "titres.identite")
# The licence wizard's step slugs and field names (titres/permis/request_forms.py)
# and what its submission stores: the answers layout only permis may read.
LICENCE_ANSWER_KEYS = (
    "etat_civil",
    "nom_naissance",
    "nom_usage",
    "prenoms",
    "date_naissance",
    "commune_naissance",
    "departement_naissance",
    "pays_naissance",
    "neph",
    "code_ephoto",
    "mode_photo",
    "numero_timbre",
    "_snpc",
)
_KEY = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(LICENCE_ANSWER_KEYS) + r")(?![A-Za-z0-9])")


def domain_imports(source: str) -> list[str]:
    """Modules of a procedure app that `source` imports (at any depth)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found += [
            name
            for name in names
            if any(name == app or name.startswith(app + ".") for app in DOMAIN_APPS)
        ]
    return sorted(set(found))


def answer_key_literals(source: str) -> list[str]:
    """Licence answer keys spelt in the string literals of Python `source`
    ("etat_civil.nom", {"photo": ...}.get("code_ephoto")...)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += _KEY.findall(node.value)
    return sorted(set(found))


def template_answer_keys(text: str) -> list[str]:
    """The same in a template (`demarche.answers.etat_civil.nom_naissance`)."""
    return sorted(set(_KEY.findall(text)))


def _python_files():
    return [
        p
        for p in BACK_OFFICE.rglob("*.py")
        if "migrations" not in p.parts and "locale" not in p.parts
    ]


def _templates():
    return list((BACK_OFFICE / "templates").rglob("*.html")) + list(
        (BACK_OFFICE / "templates").rglob("*.txt")
    )


def test_the_back_office_imports_no_procedure_app():
    offenders = {
        str(p.relative_to(BACK_OFFICE)): found
        for p in _python_files()
        if (found := domain_imports(p.read_text()))
    }
    assert not offenders, (
        "titres/instruction/ importe une application de procédure : passez par les crochets "
        f"de ProcedureDefinition (docs/procedures.md) : {offenders}"
    )


def test_the_back_office_spells_no_licence_answer_key():
    offenders = {
        str(p.relative_to(BACK_OFFICE)): found
        for p in _python_files()
        if (found := answer_key_literals(p.read_text()))
    }
    offenders |= {
        str(p.relative_to(BACK_OFFICE)): found
        for p in _templates()
        if (found := template_answer_keys(p.read_text()))
    }
    assert not offenders, (
        "titres/instruction/ lit les réponses du permis par leur clé : donnez la valeur par un "
        f"crochet de la procédure (search_values, person, photo, agent_panel) : {offenders}"
    )


# --- The checks fail on broken samples ------------------------------------------------

BROKEN_IMPORTS = """
from titres.permis.models import LicenceRequest
import titres.vehicules.models
from titres.procedures.registry import find_procedure


def later():
    from titres.identite.models import IssuedTitle
"""

BROKEN_KEYS = '''
def ephoto_of(demarche):
    """Reads the licence's photo step."""
    code = (demarche.answers.get("photo") or {}).get("code_ephoto")
    return _get(demarche.answers, "etat_civil.nom_naissance", "permis.neph"), code
'''


def test_a_domain_import_is_found_in_a_sample():
    assert domain_imports(BROKEN_IMPORTS) == [
        "titres.identite.models",
        "titres.identite.models.IssuedTitle",
        "titres.permis.models",
        "titres.permis.models.LicenceRequest",
        "titres.vehicules.models",
    ]
    assert domain_imports("from titres.procedures.hooks import person_of\n") == []


def test_an_answer_key_is_found_in_a_sample():
    assert answer_key_literals(BROKEN_KEYS) == [
        "code_ephoto",
        "etat_civil",
        "neph",
        "nom_naissance",
    ]
    # Words that merely contain a key, identifiers and other strings pass.
    assert answer_key_literals('date_naissance = 1\nx = "nephrologie prenomsX"\n') == []
    assert template_answer_keys("{{ demarche.answers.etat_civil.prenoms }}") == [
        "etat_civil",
        "prenoms",
    ]


@pytest.mark.parametrize("sample", [BROKEN_IMPORTS, BROKEN_KEYS])
def test_the_real_tree_checks_would_fail_on_the_sample(sample, tmp_path, monkeypatch):
    """The same assertions as above, pointed at a copy of the back office
    with the broken sample added, fail."""
    import shutil

    copy = tmp_path / "instruction"
    shutil.copytree(BACK_OFFICE, copy, ignore=shutil.ignore_patterns("migrations", "locale"))
    (copy / "broken.py").write_text(sample)
    monkeypatch.setattr(sys.modules[__name__], "BACK_OFFICE", copy)
    with pytest.raises(AssertionError, match="broken.py"):
        test_the_back_office_imports_no_procedure_app()
        test_the_back_office_spells_no_licence_answer_key()
