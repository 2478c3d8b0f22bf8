"""Agents read labels, never codes (issue 14): the declared motif in the
advanced search's options, its results and the work list."""

import pytest
from django.urls import reverse

from titres.instruction.search import motif_label

from .factories import PermisDemarcheFactory, answers

pytestmark = pytest.mark.django_db


def test_motif_label_comes_from_the_procedure():
    assert motif_label("vol") == "Vol du titre"
    assert motif_label("deterioration") == "Détérioration du titre"
    assert motif_label("inconnu") == "inconnu"


def test_search_options_and_results_show_labels(agent_client, authority):
    PermisDemarcheFactory(submitted=True, authority=authority, answers=answers(motif="vol"))
    PermisDemarcheFactory(
        submitted=True, authority=authority, answers=answers(motif="deterioration")
    )
    page = agent_client.get(reverse("instruction:search", args=["543"]), {"motif": "vol"})
    assert page.status_code == 200
    assert '<option value="vol" selected>Vol du titre</option>' in page.text
    assert '<option value="deterioration">Détérioration du titre</option>' in page.text
    assert "<td>Vol du titre</td>" in page.text
    assert "<td>VOL</td>" not in page.text and "<td>vol</td>" not in page.text


def test_work_list_shows_the_motif_label(agent_client, authority):
    PermisDemarcheFactory(submitted=True, authority=authority, answers=answers(motif="perte"))
    page = agent_client.get(reverse("instruction:worklist", args=["543"]))
    assert "<td>Perte du titre</td>" in page.text
    assert "<td>perte</td>" not in page.text
