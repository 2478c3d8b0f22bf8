"""Seed 002 "Liste des demandes sur l'autorité N"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from titres.instruction.models import Assignment
from titres.instruction.views.lists import PAGE_SIZE

from .factories import PermisDemarcheFactory, answers

pytestmark = pytest.mark.django_db

URL = reverse("instruction:worklist", args=["543"])


def test_tabs_with_counts_oldest_first(agent_client, authority):
    now = timezone.now()
    recent = PermisDemarcheFactory(
        submitted=True, authority=authority, submitted_at=now, answers=answers(nom="RECENT")
    )
    old = PermisDemarcheFactory(
        submitted=True,
        authority=authority,
        submitted_at=now - timedelta(days=9),
        answers=answers(nom="ANCIEN"),
    )
    PermisDemarcheFactory(awaiting=True, authority=authority)
    PermisDemarcheFactory(rejected=True, authority=authority)
    PermisDemarcheFactory(validated=True, authority=authority)
    content = agent_client.get(URL).content.decode()
    assert "Liste des demandes sur l’autorité 543" in content
    assert "À traiter (3)" in content
    assert "En attente usager (1)" in content
    assert "Traitées (1)" in content
    assert "Toutes (5)" in content
    assert content.index(old.display_number) < content.index(recent.display_number)


def test_assigned_to_me(agent_client, agent, authority):
    mine = PermisDemarcheFactory(submitted=True, authority=authority)
    other = PermisDemarcheFactory(submitted=True, authority=authority)
    Assignment.objects.create(demarche=mine, agent=agent, assigned_by=agent)
    content = agent_client.get(URL + "?mien=1").content.decode()
    assert "Assignées à moi (1)" in content
    assert mine.display_number in content and other.display_number not in content


def test_list_of_100_costs_the_same_queries_as_1(
    agent_client, agent, authority, django_assert_num_queries
):
    first = PermisDemarcheFactory(submitted=True, authority=authority)
    Assignment.objects.create(demarche=first, agent=agent, assigned_by=agent)
    agent_client.get(URL)  # warm caches (content types, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        agent_client.get(URL + "?onglet=toutes")
    for _ in range(49):
        d = PermisDemarcheFactory(submitted=True, authority=authority)
        Assignment.objects.create(demarche=d, agent=agent, assigned_by=agent)
    with django_assert_num_queries(len(one.captured_queries)):
        response = agent_client.get(URL + "?onglet=toutes")
    content = response.content.decode()
    assert content.count("Voir<span") == PAGE_SIZE
    # The next page keeps the tab: an agent pages through what they filtered.
    assert 'href="?page=2&amp;onglet=toutes"' in content
    second = agent_client.get(URL + "?page=2&onglet=toutes").content.decode()
    assert second.count("Voir<span") == 50 - PAGE_SIZE
    assert "2 / 2" in second


def test_rows_escape_what_citizens_typed(agent_client, authority):
    """The rows are built in Python (issue 17): what a citizen typed is
    still escaped."""
    d = PermisDemarcheFactory(submitted=True, authority=authority)
    d.search_entry.last_name_display = "<script>alert(1)</script>"
    d.search_entry.save()
    content = agent_client.get(URL).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content


def test_chef_sees_bulk_controls_agent_does_not(agent_client, chef_client, authority):
    PermisDemarcheFactory(submitted=True, authority=authority)
    assert "Action groupée" in chef_client.get(URL).content.decode()
    assert "Action groupée" not in agent_client.get(URL).content.decode()


def _licence_request(demarche, *, needs_review):
    from titres.permis.models import LicenceRequest

    return LicenceRequest.objects.create(
        demarche=demarche,
        motif="vol",
        match_method="aucune" if needs_review else "neph",
        match={"exact": not needs_review},
        needs_review=needs_review,
    )


def test_snpc_mismatch_is_flagged(agent_client, authority):
    flagged = PermisDemarcheFactory(
        submitted=True, authority=authority, answers=answers(nom="ECART")
    )
    exact = PermisDemarcheFactory(submitted=True, authority=authority, answers=answers(nom="EXACT"))
    _licence_request(flagged, needs_review=True)
    _licence_request(exact, needs_review=False)
    PermisDemarcheFactory(submitted=True, authority=authority, answers=answers(nom="SANS"))
    content = agent_client.get(URL).content.decode()
    assert content.count("Écart SNPC à vérifier") == 1
    row = content[content.index(flagged.display_number) :]
    row = row[: row.index("</tr>")]
    assert "Écart SNPC à vérifier" in row


def test_snpc_badge_keeps_the_query_count(agent_client, agent, authority):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = PermisDemarcheFactory(submitted=True, authority=authority)
    _licence_request(first, needs_review=True)
    agent_client.get(URL)
    with CaptureQueriesContext(connection) as one:
        agent_client.get(URL + "?onglet=toutes")
    for index in range(20):  # 21 files: one page (PAGE_SIZE)
        d = PermisDemarcheFactory(submitted=True, authority=authority)
        _licence_request(d, needs_review=index % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        response = agent_client.get(URL + "?onglet=toutes")
    assert len(many.captured_queries) == len(one.captured_queries)
    assert response.content.decode().count("Écart SNPC à vérifier") == 11


def test_pages_follow_the_tab_count(agent_client, authority):
    """The paginator takes the tab's count from the tab counts (one query
    fewer): each tab pages its own files."""
    for _ in range(PAGE_SIZE + 1):
        PermisDemarcheFactory(submitted=True, authority=authority)
    waiting = [PermisDemarcheFactory(awaiting=True, authority=authority) for _ in range(2)]
    first = agent_client.get(URL).content.decode()
    assert first.count("Voir<span") == PAGE_SIZE and "1 / 2" in first
    last = agent_client.get(URL + "?page=2").content.decode()
    assert last.count("Voir<span") == 1 and "2 / 2" in last
    tab = agent_client.get(URL + "?onglet=en_attente&page=9").content.decode()
    assert tab.count("Voir<span") == 2 and "Page suivante" not in tab
    assert all(d.display_number in tab for d in waiting)


def test_authority_of_another_service_is_404(agent_client, other_authority):
    """The authority comes from the agent's own memberships (read once per
    request): a code they do not belong to is not found."""
    response = agent_client.get(reverse("instruction:worklist", args=["999"]))
    assert response.status_code == 404
