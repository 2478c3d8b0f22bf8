"""The work list's tabs and the lists' pagination built in Python
(`worklist_tabs`, `list_pagination`, docs/capacity.md eighth pass (b)) give
byte for byte what the template parts they replace gave, in French and in
English."""

import re

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from titres.instruction.enums import AgentRole, Tab
from titres.instruction.models import AgentMembership
from titres.instruction.templatetags.instruction_tags import list_pagination, worklist_tabs

from .conftest import verified_client

# worklist.html's tabs before eighth pass (b).
TABS = Template(
    """{% load i18n %}<nav class="fr-mb-2w" aria-label="{% translate 'Onglets de la liste' %}">
  <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
    {% for value, label, count in tabs %}
    <li><a class="fr-btn fr-btn--sm {% if value != tab %}fr-btn--secondary{% endif %}" href="?onglet={{ value }}{% if mine %}&amp;mien=1{% endif %}" {% if value == tab %}aria-current="page"{% endif %}>{{ label }} ({{ count }})</a></li>
    {% endfor %}
    <li><a class="fr-btn fr-btn--sm {% if not mine %}fr-btn--tertiary{% endif %}" href="?onglet={{ tab }}{% if not mine %}&amp;mien=1{% endif %}" {% if mine %}aria-current="true"{% endif %}>{% translate "Assignées à moi" %} ({{ mine_count }})</a></li>
  </ul>
</nav>"""
)

# instruction/_pagination.html before eighth pass (b), included
# `with extra=…`.
PAGINATION = Template(
    """{% load i18n %}
{% if page.paginator.num_pages > 1 %}
<nav role="navigation" class="fr-pagination fr-mt-2w" aria-label="{% translate 'Pagination' %}">
  <ul class="fr-pagination__list">
    {% if page.has_previous %}<li><a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" href="?page={{ page.previous_page_number }}{{ extra }}{% if mine %}&amp;mien=1{% endif %}">{% translate "Page précédente" %}</a></li>{% endif %}
    <li><a class="fr-pagination__link" aria-current="page" title="{% translate 'Page' %} {{ page.number }}">{{ page.number }} / {{ page.paginator.num_pages }}</a></li>
    {% if page.has_next %}<li><a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href="?page={{ page.next_page_number }}{{ extra }}{% if mine %}&amp;mien=1{% endif %}">{% translate "Page suivante" %}</a></li>{% endif %}
  </ul>
</nav>
{% endif %}
"""
)

LANGUAGES = ["fr", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("tab", list(Tab.values))
@pytest.mark.parametrize("mine", [False, True])
def test_tabs_are_the_template_s(language, tab, mine):
    with translation.override(language):
        for counts in ([0, 1, 25, 1234], [7, 0, 0, 100000]):
            tabs = [(t.value, t.label, n) for t, n in zip(Tab, counts, strict=True)]
            context = {"tabs": tabs, "tab": tab, "mine": mine, "mine_count": counts[0] + 3}
            expected = TABS.render(Context(context))
            assert worklist_tabs(tabs, tab, mine, counts[0] + 3) == expected
    assert ("Assignées à moi" in expected) == (language == "fr")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("mine", [False, True])
@pytest.mark.parametrize("extra", ["&onglet=a_traiter", '&nom=<b>O\'Hara&"x"', ""])
@pytest.mark.parametrize("files", [0, 3, 10, 26, 75])
def test_pagination_is_the_include_s(language, mine, extra, files):
    paginator = Paginator(list(range(files)), 10)
    with translation.override(language):
        for number in range(1, paginator.num_pages + 1):
            page = paginator.get_page(number)
            expected = PAGINATION.render(Context({"page": page, "extra": extra, "mine": mine}))
            assert list_pagination(page, extra, mine) == expected
    if files > 10:
        assert ("Page suivante" in expected or "Page précédente" in expected) == (language == "fr")


def _masked(response) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    html = re.sub(r'nonce="[^"]+"', "NONCE", html)
    return re.sub(r'data-session-age="[^"]*"', "AGE", html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_kept_parts_show_each_agent_their_own_bar(
    settings, make_agent, authority, other_authority, language
):
    """The agent bar's kept parts (name, role and authority left out of
    them): a second agent, of another role and with two authorities, sees
    after the first the page a fresh render gives, CSRF tokens in place."""
    from titres.core.templatetags.titres_fragments import forget_parts

    settings.DEBUG = False
    first = verified_client(make_agent(first_name="Anne", last_name="Agent"))
    second_user = make_agent(role=AgentRole.CHEF_DE_SERVICE, first_name="Zoé", last_name="Chef")
    AgentMembership.objects.create(
        user=second_user, authority=other_authority, role=AgentRole.AGENT_INSTRUCTEUR
    )
    second = verified_client(second_user)
    url = reverse("instruction:worklist", args=[authority.code])
    for client in (first, second):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    first.get(url)  # the parts kept from the first agent's page
    kept = second.get(url)
    forget_parts()
    fresh = second.get(url)
    assert kept.status_code == fresh.status_code == 200
    assert _masked(kept) == _masked(fresh)
    html = kept.content.decode()
    assert "Zoé Chef" in html and "Anne Agent" not in html
    assert html.count('name="csrfmiddlewaretoken"') == fresh.content.decode().count(
        'name="csrfmiddlewaretoken"'
    )
    assert ("Portail guichet agent" in html) == (language == "fr")


# The rows' fast path for plain numbers (ninth pass (a)): the same cells as
# the general path (display_number, esc, reverse) for every kind of number.

_NUMBERS = [
    "Q8PS3CP4CSQB",  # plain: the fast path
    "0123456789AB",
    "q8ps3cp4csqb",  # lower case: normalize changes it
    "O8PS3CP4CSQI",  # look-alikes that normalize maps
    "L8PS3CP4CS<&",  # characters to escape
    "Q8PS3CP4CSQ",  # eleven characters
    "Q8PS3CP4CSQBX",  # thirteen
    "ÉÉÉÉ3CP4CSQB",  # not ASCII
]


def _work_rows():
    from datetime import UTC, date, datetime

    from titres.instruction.worklist_query import WorkRow
    from titres.procedures.enums import Status

    statuses = list(Status.values)
    births = [date(1956, 1, 1), None, datetime(1990, 5, 3, 23, 30, tzinfo=UTC), date(2000, 2, 29)]
    rows = []
    for index, number in enumerate(_NUMBERS):
        entry = None if index == 5 else index
        rows.append(
            WorkRow(
                (
                    number,
                    statuses[index % len(statuses)],
                    (
                        None
                        if index == 6
                        else datetime(
                            2026, 12, 4, 23, 30 + index, tzinfo=None if index == 7 else UTC
                        )
                    ),
                    entry,
                    f"NOM<{index}>",
                    "Prénom & co",
                    births[index % len(births)],
                    "vol" if index % 2 else "",
                    "completer" if index < 3 else "",
                    index % 2,
                    "Agent 'x'" if index % 3 else None,
                )
            )
        )
    return rows


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("bulk_open", [False, True])
def test_rows_fast_path_is_the_general_path(monkeypatch, language, bulk_open):
    from datetime import UTC, datetime

    from titres.instruction.templatetags import instruction_tags

    now = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
    with translation.override(language):
        fast = instruction_tags.worklist_rows(_work_rows(), now, bulk_open)
        monkeypatch.setattr(instruction_tags, "_PLAIN", frozenset())  # every row the general way
        general = instruction_tags.worklist_rows(_work_rows(), now, bulk_open)
    assert fast == general
    assert fast.count("<tr>") == len(_NUMBERS)
    assert "Q8PS-3CP4-CSQB" in fast and 'href="/agent/dossiers/Q8PS3CP4CSQB/"' in fast
    assert "<td>08PS-3CP4-CSQ1</td>" in fast and "<td>18PS-3CP4-CS</td>" in fast  # normalized
    assert ("sel-Q8PS3CP4CSQB" in fast) == bulk_open
    assert "<td>05/12/2026</td>" in fast and "<td>04/12/2026</td>" in fast  # Paris; naive


@pytest.mark.parametrize("language", LANGUAGES)
def test_rows_birth_dates_and_badges_are_the_filters(language):
    """The birth date and submission cells are `|date:"d/m/Y"` (a datetime
    localised), the status badge `{% status_badge %}`, whatever the row's
    values (a naive submission date included)."""
    from datetime import UTC, datetime

    from titres.instruction.templatetags.instruction_tags import worklist_rows
    from titres.procedures.templatetags.procedures_tags import status_badge

    now = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
    template = Template(
        '{% load procedures_tags %}{{ birth|date:"d/m/Y" }}|{% status_badge d %}'
        '|{{ d.submitted_at|date:"d/m/Y" }}'
    )
    with translation.override(language):
        for row in _work_rows():
            if row.search_entry is None:
                continue
            cells = re.findall(r"<td>(.*?)</td>", worklist_rows([row], now, False))
            expected_birth, expected_badge, expected_submitted = template.render(
                Context({"birth": row.birth_date, "d": row})
            ).split("|")
            assert cells[3] == expected_birth
            assert cells[5] == expected_submitted  # in Paris: 23:30 UTC is the next day
            assert cells[7].startswith(expected_badge)
            assert expected_badge == status_badge(row)
    assert "04/05/1990" in Template('{{ b|date:"d/m/Y" }}').render(
        Context({"b": datetime(1990, 5, 3, 23, 30, tzinfo=UTC)})
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_labels_as_text_are_the_enums_labels(language):
    """The tabs' and roles' labels kept as text per language (ninth pass (a))
    are what the lazy labels give, in each language even after another."""
    from titres.instruction.enums import labels_in_language, role_label

    other = "en" if language == "fr" else "fr"
    with translation.override(other):
        labels_in_language()
    with translation.override(language):
        labels = labels_in_language()
        for tab in Tab:
            assert labels["tab", tab.value] == str(tab.label)
        for role in AgentRole:
            assert role_label(role.value) == str(role.label)
            assert type(role_label(role.value)) is str
        assert role_label(AgentRole.CHEF_DE_SERVICE) == str(AgentRole.CHEF_DE_SERVICE.label)
        with pytest.raises(ValueError):
            role_label("inconnu")
    assert (labels["tab", Tab.A_TRAITER] == "À traiter") == (language == "fr")
