"""The rows of "Mes démarches" (`procedures_tags.demarche_rows`), with
their labels, URLs and badges kept per process and language and their
numbers' fast path (docs/capacity.md, ninth pass (b)), are what the
template engine gives: `{% url %}`, `|date`, `{% translate %}`,
autoescaping. Models and the list's `OwnedRow` alike, French and English."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import translation

from titres.procedures.enums import Status
from titres.procedures.list_actions import available_actions
from titres.procedures.list_query import ROW_FIELDS, OwnedRow
from titres.procedures.models import Demarche
from titres.procedures.registry import find_procedure
from titres.procedures.templatetags.procedures_tags import demarche_rows

from . import toy

# One row as a template would write it (what the tag's f-strings replace).
ROW = Template(
    "{% load i18n %}"
    '<tr><td><a class="fr-link" href="{% url \'procedures:detail\' d.number %}">'
    "{{ d.display_number }}</a></td><td>{{ title }}</td>"
    '<td><p class="fr-badge fr-badge--sm {{ d.status_badge }}">{{ d.get_status_display }}</p>'
    '</td><td>{{ d.created_at|date:"d/m/Y" }}</td><td>{{ d.updated_at|date:"d/m/Y H:i" }}</td>'
    '<td><form method="get" action="{% url \'procedures:act\' d.number %}" '
    'class="titres-actions"><label class="fr-sr-only" for="actions-{{ d.number }}">'
    "{% blocktranslate with n=d.display_number %}Action sur la démarche n° {{ n }}"
    "{% endblocktranslate %}</label>"
    '<select class="fr-select" id="actions-{{ d.number }}" name="action">'
    '{% for code, label in actions %}<option value="{{ code }}">{{ label }}</option>{% endfor %}'
    '</select><button class="fr-btn fr-btn--sm" type="submit">{% translate "Ok" %}'
    '<span class="fr-sr-only"> — {{ d.display_number }}</span></button></form></td></tr>\n'
)

# Paris's two daylight-saving nights and New Year's Eve, either side.
TIMES = [
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 59, tzinfo=UTC),
    datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
    datetime(2025, 12, 31, 22, 59, tzinfo=UTC),
    datetime(2025, 12, 31, 23, 0, tzinfo=UTC),
]
# Canonical numbers, lower case, separators, characters to escape, non-ASCII.
NUMBERS = ["ABCD1234EFGH", "abcd1234efgh", "ABCD-1234", "AB&C'1<é>\"", "ÉTÉ123", "0O1IL"]


def _files() -> list[Demarche]:
    files = []
    for index, status in enumerate(Status.values):
        for number in NUMBERS:
            files.append(
                Demarche(
                    pk=len(files) + 1,
                    number=f"{number}{index}" if number.isalnum() else number,
                    procedure_code=toy.CODE if len(files) % 3 else "code-<inconnu>",
                    status=status,
                    created_at=TIMES[len(files) % len(TIMES)],
                    updated_at=TIMES[(len(files) + 1) % len(TIMES)],
                    taken_at=TIMES[0] if len(files) % 2 else None,
                )
            )
    files.append(Demarche(pk=999, number="X1", procedure_code=toy.CODE, status="INCONNU"))
    files[-1].created_at = files[-1].updated_at = TIMES[0]
    return files


def _reference(files) -> str:
    rows = []
    for d in files:
        definition = find_procedure(d.procedure_code)
        title = definition.title if definition else d.procedure_code
        context = {"d": d, "title": title, "actions": available_actions(d)}
        rows.append(ROW.render(Context(context)))
    return "".join(rows)


def _owned(files) -> list[OwnedRow]:
    return [OwnedRow(tuple(getattr(d, name) for name in ROW_FIELDS)) for d in files]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_rows_are_the_templates(language):
    files = _files()
    with translation.override(language):
        expected = _reference(files)
        assert "&amp;" in expected and "%C3%89" in expected and "code-&lt;inconnu&gt;" in expected
        assert demarche_rows(files) == expected
        assert demarche_rows(_owned(files)) == expected
        assert demarche_rows(files) == expected  # the kept parts, again


def test_each_language_keeps_its_own_labels_and_badges():
    files = _files()
    shown = {}
    for language in ("fr", "en", "fr", "en"):
        with translation.override(language):
            shown.setdefault(language, demarche_rows(files))
            assert demarche_rows(_owned(files)) == shown[language] == _reference(files)
    assert "Consulter" in shown["fr"] and "Consulter" not in shown["en"]
    assert "Brouillon" in shown["fr"] and "Brouillon" not in shown["en"]


def test_urls_follow_the_script_prefix():
    files = _files()
    with translation.override("fr"):
        plain = demarche_rows(files)
        set_script_prefix("/portail/")
        try:
            prefixed = demarche_rows(_owned(files))
            assert prefixed == _reference(files)
            assert 'href="/portail/demarches/' in prefixed
        finally:
            clear_script_prefix()
        assert demarche_rows(files) == plain


def test_a_row_reads_the_models_methods():
    for d in _files():
        row = _owned([d])[0]
        assert (row.pk, row.display_number, row.status_badge) == (
            d.pk,
            d.display_number,
            d.status_badge,
        )
        assert (row.get_status_display(), row.is_draft, row.awaits_citizen) == (
            d.get_status_display(),
            d.is_draft,
            d.awaits_citizen,
        )
