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
