"""Issue 13 item 9: the agent's file page, the search and the citizen's
récapitulatif have a pinned query count that does not grow with the file
(documents, messages, history)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from titres.instruction.models import Assignment
from titres.procedures.enums import Role

from .factories import DocumentFactory, PermisDemarcheFactory

pytestmark = pytest.mark.django_db

# What the page costs today (measured): session, agent and memberships, the
# file and its relations, SNPC match, two audited reads (file, SNPC record),
# documents, history, thread. A rise means a new per-request query: explain
# it, or find the N+1.
FILE_PAGE_QUERIES = 24
SEARCH_QUERIES = 13


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _grow(demarche, agent, n):
    from tests.procedures.factories import MessageFactory

    for i in range(n):
        DocumentFactory(demarche=demarche, code="domicile", original_name=f"piece-{i}.png")
        MessageFactory(demarche=demarche, body=f"Message {i}")
        MessageFactory(
            demarche=demarche, author=agent, author_role=Role.AGENT_INSTRUCTEUR, body=f"R {i}"
        )


def test_the_file_page_costs_the_same_with_1_or_20_documents_and_messages(
    agent_client, agent, authority
):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    Assignment.objects.create(demarche=demarche, agent=agent, assigned_by=agent)
    url = reverse("instruction:detail", args=[demarche.number])
    _grow(demarche, agent, 1)
    agent_client.get(url)  # warm caches (content types, procedure registry)
    small = _count(agent_client, url)
    _grow(demarche, agent, 19)
    assert _count(agent_client, url) == small
    assert small <= FILE_PAGE_QUERIES, f"{small} requêtes pour la page du dossier"


def test_the_search_costs_the_same_for_1_or_30_results(agent_client, authority):
    url = reverse("instruction:search", args=[authority.code]) + "?nom=Corneille"
    PermisDemarcheFactory(submitted=True, authority=authority)
    agent_client.get(url)
    one = _count(agent_client, url)
    for _ in range(29):
        PermisDemarcheFactory(submitted=True, authority=authority)
    assert _count(agent_client, url) == one
    assert one <= SEARCH_QUERIES, f"{one} requêtes pour la recherche"
