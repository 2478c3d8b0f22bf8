"""Agents read labels, never codes (issue 14): the declared motif in the
advanced search's options, its results and the work list."""

import pytest
from django.urls import reverse

from titres.procedures.hooks import motif_label

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


def _post(client, demarche, data=None):
    return client.post(
        reverse("instruction:action", args=[demarche.number, "valider"]), data or {}, follow=True
    )


@pytest.fixture
def differing(authority):
    from tests.permis.factories import LicenceRecordFactory

    record = LicenceRecordFactory(first_names="Thomas")
    return PermisDemarcheFactory(
        submitted=True, authority=authority, answers=answers(neph=record.neph)
    )


def test_an_snpc_difference_cannot_be_validated_in_one_click(agent_client, differing):
    from titres.procedures.enums import Status

    page = agent_client.get(reverse("instruction:detail", args=[differing.number]))
    assert 'id="validation-registre"' in page.text
    assert "quelles données sont exactes ?" in page.text
    response = _post(agent_client, differing)
    assert (
        "Des différences avec le dossier SNPC ne sont pas résolues : indiquez quelles données "
        "sont exactes avant de valider la demande." in response.text
    )
    differing.refresh_from_db()
    assert differing.status == Status.EN_COURS
    response = _post(agent_client, differing, {"decision": "n-importe"})
    differing.refresh_from_db()
    assert differing.status == Status.EN_COURS


def test_the_agents_decision_is_written_in_the_history(agent_client, agent, differing):
    from titres.procedures.enums import Status

    response = _post(agent_client, differing, {"decision": "snpc"})
    assert "La demande est validée." in response.text
    differing.refresh_from_db()
    assert differing.status == Status.VALIDEE
    change = differing.history.last()
    assert change.actor == agent
    assert change.comment == (
        "Différences avec le dossier SNPC vérifiées (Prénoms) : données du dossier SNPC retenues."
    )


def test_no_difference_no_question(agent_client, authority):
    from tests.permis.factories import LicenceRecordFactory
    from titres.procedures.enums import Status

    record = LicenceRecordFactory()
    demarche = PermisDemarcheFactory(
        submitted=True, authority=authority, answers=answers(neph=record.neph)
    )
    page = agent_client.get(reverse("instruction:detail", args=[demarche.number]))
    assert 'id="validation-registre"' not in page.text
    _post(agent_client, demarche)
    demarche.refresh_from_db()
    assert demarche.status == Status.VALIDEE
    assert demarche.history.last().comment == ""


def test_file_of_an_unknown_procedure_reads_with_labels_and_french_dates(agent_client, authority):
    # An older procedure code with the licence's answers layout.
    demarche = PermisDemarcheFactory(
        submitted=True, authority=authority, procedure_code="permis-ancien"
    )
    page = agent_client.get(reverse("instruction:detail", args=[demarche.number])).text
    assert "<dt>Prénoms</dt>" in page and "<dt>Date de naissance</dt>" in page
    assert "<dd>01/01/1956</dd>" in page
    assert "1956-01-01" not in page
    assert "<dt>Prenoms</dt>" not in page and "Date naissance" not in page
    assert "<dd>Vol du titre</dd>" in page
    # The header has no dangling separator.
    assert f"{demarche.title} —" not in page
