"""Engine options used by seed 002's 8-step stepper: fixed numbering (a
skipped step keeps its number) and a form inside the documents step."""

import pytest
from django.urls import reverse

from titres.procedures.enums import DocumentStatus, Status
from titres.procedures.models import Demarche
from titres.procedures.registry import get_procedure

from . import samples, toy

pytestmark = pytest.mark.django_db


def _step(demarche, slug):
    return reverse("procedures:step", args=[demarche.number, slug])


def _start(client):
    response = client.post(reverse("procedures:start", args=[toy.FIXED_CODE]))
    demarche = Demarche.objects.filter(procedure_code=toy.FIXED_CODE).latest("created_at")
    assert response.url == _step(demarche, "motif")
    return demarche


def _post(client, demarche, slug, data=None, action="next"):
    return client.post(_step(demarche, slug), {**(data or {}), "action": action})


def _fill(client, demarche, motif):
    assert _post(client, demarche, "motif", {"motif": motif}).status_code == 302
    if motif == "vol":
        _post(client, demarche, "vol", {"date_vol": "2024-05-02", "lieu": "Nancy"})
    etat_civil = {"nom": "Corneille", "prenom": "Pierre", "departement": "54", "numero_titre": "X1"}
    assert _post(client, demarche, "etat_civil", etat_civil).status_code == 302
    assert _post(client, demarche, "contact", {"commentaire": ""}).status_code == 302


def _upload_all(client, demarche, codes, capture):
    with capture(execute=True):
        for code in codes:
            response = client.post(
                reverse("procedures:upload", args=[demarche.number, code]),
                {"file": samples.upload(samples.pdf()), "next": _step(demarche, "pieces")},
            )
            assert response.status_code == 302
    assert set(demarche.documents.values_list("status", flat=True)) == {DocumentStatus.VALIDE}


def _state(page):
    return page.text.split('fr-stepper__state">', 1)[1].split("<", 1)[0]


def test_fixed_numbering_keeps_the_number_of_a_skipped_step(client, citizen):
    demarche = _start(client)
    _fill(client, demarche, "deterioration")
    definition = get_procedure(toy.FIXED_CODE)
    demarche.refresh_from_db()
    assert definition.stepper_total(demarche) == 7
    # "vol" (2) does not apply and is passed through, the others keep their number.
    assert client.get(_step(demarche, "vol")).url == _step(demarche, "etat_civil")
    expected = {"motif": 1, "etat_civil": 3, "contact": 4, "pieces": 5, "recapitulatif": 6}
    for slug, number in expected.items():
        page = client.get(_step(demarche, slug))
        assert _state(page) == f"Étape {number} sur 7", slug
        assert f'data-fr-current-step="{number}" data-fr-steps="7"' in page.text
    # Same numbers with the step applying.
    _post(client, demarche, "motif", {"motif": "vol"})
    assert _state(client.get(_step(demarche, "vol"))) == "Étape 2 sur 7"
    assert _state(client.get(_step(demarche, "pieces"))) == "Étape 5 sur 7"
    # Without the option the count follows the applicable steps (unchanged).
    other = client.post(reverse("procedures:start", args=[toy.CODE]))
    assert "Étape 1 sur 6" in client.get(other.url).text


def test_documents_step_form_only_for_its_condition(client, citizen):
    demarche = _start(client)
    _fill(client, demarche, "deterioration")
    page = client.get(_step(demarche, "pieces"))
    assert "Déclaration de perte" not in page.text and "lieu_perte" not in page.text
    # Without its form the step saves no answers and goes on.
    assert _post(client, demarche, "pieces").url == _step(demarche, "recapitulatif")
    demarche.refresh_from_db()
    assert demarche.answers["pieces"] == {}


def test_documents_step_form_validated_saved_and_summarised(
    client, citizen, django_capture_on_commit_callbacks
):
    demarche = _start(client)
    _fill(client, demarche, "perte")
    page = client.get(_step(demarche, "pieces"))
    assert "Déclaration de perte" in page.text
    assert "Aucun document n’est à joindre pour la perte." in page.text
    assert page.text.index("Pièce d’identité") < page.text.index("Déclaration de perte")

    # Invalid: shown again with the message, nothing saved.
    response = _post(client, demarche, "pieces", {"lieu_perte": "Nancy"})
    assert response.status_code == 200
    assert "Cochez la déclaration sur l’honneur pour continuer." in response.text
    demarche.refresh_from_db()
    assert "pieces" not in demarche.answers
    # "Étape précédente" with invalid input goes back without saving.
    response = _post(client, demarche, "pieces", {"lieu_perte": ""}, action="previous")
    assert response.url == _step(demarche, "contact")

    # The final validation requires the form too, reported on the step.
    _upload_all(client, demarche, ["domicile", "identite"], django_capture_on_commit_callbacks)
    page = client.post(_step(demarche, "recapitulatif"), {"attestation": "on", "action": "submit"})
    assert page.status_code == 400 and "Cette étape n’est pas encore remplie." in page.text

    # "Enregistrer" stores it and stays on the step.
    data = {"lieu_perte": "Nancy", "attestation": "on"}
    assert _post(client, demarche, "pieces", data, action="save").url == _step(demarche, "pieces")
    demarche.refresh_from_db()
    assert demarche.answers["pieces"] == {"lieu_perte": "Nancy", "attestation": True}
    page = client.get(_step(demarche, "pieces"))
    assert 'value="Nancy"' in page.text
    assert _post(client, demarche, "pieces", data).url == _step(demarche, "recapitulatif")

    page = client.get(_step(demarche, "recapitulatif"))
    assert "Lieu de la perte" in page.text and "Nancy" in page.text
    assert "Je déclare sur l’honneur avoir perdu mon titre." in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _step(demarche, "recapitulatif"), {"attestation": "on", "action": "submit"}
        )
    assert response.url == reverse("procedures:confirmation", args=[demarche.number])
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    assert demarche.answers["pieces"] == {"lieu_perte": "Nancy", "attestation": True}
    assert "Étape 7 sur 7" in client.get(response.url).text


def test_documents_form_answers_dropped_at_submission_when_it_no_longer_applies(
    client, citizen, django_capture_on_commit_callbacks
):
    demarche = _start(client)
    _fill(client, demarche, "perte")
    _post(client, demarche, "pieces", {"lieu_perte": "Nancy", "attestation": "on"}, action="save")
    _fill(client, demarche, "deterioration")  # the motif changed the état civil form
    _upload_all(client, demarche, ["domicile", "identite"], django_capture_on_commit_callbacks)
    page = client.get(_step(demarche, "recapitulatif"))
    assert "Lieu de la perte" not in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _step(demarche, "recapitulatif"), {"attestation": "on", "action": "submit"}
        )
    assert response.status_code == 302
    demarche.refresh_from_db()
    assert demarche.answers["pieces"] == {}
