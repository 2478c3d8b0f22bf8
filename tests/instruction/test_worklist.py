"""Seed 002 "Liste des demandes sur l'autorité N"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from titres.instruction.models import Assignment

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
    assert response.content.decode().count("Voir<span") == 50


def test_chef_sees_bulk_controls_agent_does_not(agent_client, chef_client, authority):
    PermisDemarcheFactory(submitted=True, authority=authority)
    assert "Action groupée" in chef_client.get(URL).content.decode()
    assert "Action groupée" not in agent_client.get(URL).content.decode()
