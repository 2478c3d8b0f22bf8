"""Issue 13 item 9: the citizen's récapitulatif costs the same queries with
one or ten supporting documents."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import DemarcheFactory, DocumentFactory

pytestmark = pytest.mark.django_db

SUMMARY_QUERIES = 8


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_summary_costs_the_same_with_1_or_10_documents(client, citizen):
    demarche = DemarcheFactory(owner=citizen)
    DocumentFactory(demarche=demarche)
    client.force_login(citizen)
    url = reverse("procedures:step", args=[demarche.number, "recapitulatif"])
    client.get(url)  # warm caches
    one = _count(client, url)
    for i in range(9):
        DocumentFactory(demarche=demarche, original_name=f"piece-{i}.png")
    assert _count(client, url) == one
    assert one <= SUMMARY_QUERIES, f"{one} requêtes pour le récapitulatif"
