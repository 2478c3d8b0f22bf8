"""Seed 003's "Actions" column: a drop-down ("Reprise", ...) and "Ok"."""

import pytest
from django.urls import reverse

from titres.procedures.list_actions import available_actions

from .factories import DemarcheFactory

pytestmark = pytest.mark.django_db


def _act(client, demarche, action):
    return client.get(reverse("procedures:act", args=[demarche.number]), {"action": action})


def test_actions_offered_by_state(citizen):
    awaiting = DemarcheFactory(owner=citizen, awaiting=True)
    draft = DemarcheFactory(owner=citizen)
    submitted = DemarcheFactory(owner=citizen, submitted=True)
    assert [code for code, _ in available_actions(awaiting)][0] == "reprise"
    assert [code for code, _ in available_actions(draft)] == [
        "continuer",
        "consulter",
        "abandonner",
    ]
    assert "reprise" not in [code for code, _ in available_actions(submitted)]
    assert available_actions(awaiting)[0][1] == "Reprise"


def test_list_shows_the_drop_down_and_ok(client, citizen):
    awaiting = DemarcheFactory(owner=citizen, awaiting=True)
    page = client.get(reverse("procedures:list")).text
    assert f'action="{reverse("procedures:act", args=[awaiting.number])}"' in page
    assert '<option value="reprise">Reprise</option>' in page
    assert f'<label class="fr-sr-only" for="actions-{awaiting.number}">' in page
    assert ">Ok<" in page


def test_ok_leads_to_the_chosen_action(client, citizen):
    awaiting = DemarcheFactory(owner=citizen, awaiting=True)
    draft = DemarcheFactory(owner=citizen)
    response = _act(client, awaiting, "reprise")
    assert response.status_code == 302
    assert response.url == reverse("procedures:resume", args=[awaiting.number])
    assert _act(client, awaiting, "consulter").url == reverse(
        "procedures:detail", args=[awaiting.number]
    )
    assert _act(client, draft, "abandonner").url == reverse(
        "procedures:abandon", args=[draft.number]
    )


def test_refused_actions(client, citizen):
    submitted = DemarcheFactory(owner=citizen, submitted=True)
    assert _act(client, submitted, "reprise").status_code == 404
    assert _act(client, submitted, "nimporte").status_code == 404
    stranger = DemarcheFactory(awaiting=True)
    assert _act(client, stranger, "reprise").status_code == 404
    assert client.post(reverse("procedures:act", args=[submitted.number])).status_code == 405
