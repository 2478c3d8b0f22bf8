"""The toy procedure through the web wizard: conditional steps, draft saved
at every step, back and forward, final re-check and freeze."""

import pytest
from django.urls import reverse

from titres.procedures.enums import DocumentStatus, Status
from titres.procedures.models import Demarche

from . import samples, toy
from .factories import AuthorityFactory, DemarcheFactory

pytestmark = pytest.mark.django_db


def _step(demarche, slug):
    return reverse("procedures:step", args=[demarche.number, slug])


def _start(client):
    response = client.post(reverse("procedures:start", args=[toy.CODE]))
    demarche = Demarche.objects.latest("created_at")
    assert response.status_code == 302 and response.url == _step(demarche, "motif")
    return demarche


def _upload(client, demarche, code, content):
    return client.post(
        reverse("procedures:upload", args=[demarche.number, code]),
        {"file": samples.upload(content), "next": _step(demarche, "pieces")},
    )


def test_catalogue_lists_the_procedure(client, citizen):
    page = client.get(reverse("procedures:new"))
    assert "Permis de conduire" in page.text
    page = client.get(reverse("procedures:category", args=["permis"]))
    assert toy.definition().title in page.text
    assert client.get(reverse("procedures:category", args=["inconnue"])).status_code == 404


def test_full_journey_with_a_conditional_step(client, citizen, django_capture_on_commit_callbacks):
    AuthorityFactory(code="543", departements=["54"])
    demarche = _start(client)
    page = client.get(_step(demarche, "motif"))
    assert "Étape 1 sur 6" in page.text  # 5 applicable steps + confirmation

    # Theft adds a step ("vol") and a document.
    response = client.post(_step(demarche, "motif"), {"motif": "vol", "action": "next"})
    assert response.url == _step(demarche, "vol")
    assert "Étape 2 sur 7" in client.get(_step(demarche, "vol")).text
    response = client.post(
        _step(demarche, "vol"), {"date_vol": "2024-05-02", "lieu": "Nancy", "action": "next"}
    )
    assert response.url == _step(demarche, "etat_civil")

    # Back to the motif: the draft keeps what was typed; change the motif.
    response = client.post(
        _step(demarche, "etat_civil"), {"nom": "", "prenom": "", "action": "previous"}
    )
    assert response.url == _step(demarche, "vol")
    page = client.get(_step(demarche, "motif"))
    assert 'value="vol" checked' in page.text or "checked" in page.text
    client.post(_step(demarche, "motif"), {"motif": "deterioration", "action": "next"})
    # "vol" no longer applies: visiting it moves on.
    assert client.get(_step(demarche, "vol")).url == _step(demarche, "etat_civil")

    # The motif changed the form of a later step (a required field appears).
    page = client.post(
        _step(demarche, "etat_civil"),
        {"nom": "Corneille", "prenom": "Pierre", "departement": "54", "action": "next"},
    )
    assert page.status_code == 200 and "Numéro du titre détérioré" in page.text
    response = client.post(
        _step(demarche, "etat_civil"),
        {
            "nom": "Corneille",
            "prenom": "Pierre",
            "departement": "54",
            "numero_titre": "13572A7654",
            "action": "next",
        },
    )
    assert response.url == _step(demarche, "contact")
    demarche.refresh_from_db()
    assert demarche.acting_for == {"nom": "Corneille", "prenom": "Pierre"}  # on_save hook

    # Optional step left empty; "Enregistrer" stays on the page.
    response = client.post(_step(demarche, "contact"), {"commentaire": "", "action": "save"})
    assert response.url == _step(demarche, "contact")
    client.post(_step(demarche, "contact"), {"commentaire": "", "action": "next"})

    # Submitting without documents: the summary lists what is missing.
    page = client.post(_step(demarche, "recapitulatif"), {"attestation": "on", "action": "submit"})
    assert page.status_code == 400
    assert "« Pièce d’identité » : pièce obligatoire manquante." in page.text
    assert Demarche.objects.get(pk=demarche.pk).status == Status.BROUILLON

    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, demarche, "domicile", samples.pdf(pages=2)).status_code == 302
        assert _upload(client, demarche, "identite", samples.jpeg()).status_code == 302
    assert set(demarche.documents.values_list("status", flat=True)) == {DocumentStatus.VALIDE}

    # The sworn statement is required (a refused submission answers 400).
    page = client.post(_step(demarche, "recapitulatif"), {"action": "submit"})
    assert page.status_code == 400 and Demarche.objects.get(pk=demarche.pk).is_draft

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _step(demarche, "recapitulatif"), {"attestation": "on", "action": "submit"}
        )
    assert response.url == reverse("procedures:confirmation", args=[demarche.number])
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS and demarche.submitted_at
    assert demarche.authority.code == "543"  # authority resolver
    assert "vol" not in demarche.answers  # answers of skipped steps dropped
    assert [demarche.number] == toy.SUBMITTED  # on_submitted hook
    page = client.get(response.url)
    assert "Étape 6 sur 6" in page.text

    # Frozen: steps and uploads are refused.
    response = client.get(_step(demarche, "motif"))
    assert response.url == reverse("procedures:detail", args=[demarche.number])
    client.post(_step(demarche, "motif"), {"motif": "perte", "action": "next"})
    demarche.refresh_from_db()
    assert demarche.answers["motif"] == {"motif": "deterioration"}
    before = demarche.documents.count()
    _upload(client, demarche, "domicile", samples.pdf())
    assert demarche.documents.count() == before


def test_invalid_step_is_not_saved_and_shows_errors(client, citizen):
    demarche = _start(client)
    page = client.post(_step(demarche, "motif"), {"action": "next"})
    assert page.status_code == 200 and "Ce champ est obligatoire." in page.text
    assert Demarche.objects.get(pk=demarche.pk).answers == {}


def test_resume_goes_to_the_first_unanswered_step(client, citizen):
    demarche = _start(client)
    client.post(_step(demarche, "motif"), {"motif": "perte", "action": "save"})
    response = client.get(reverse("procedures:resume", args=[demarche.number]))
    assert response.url == _step(demarche, "etat_civil")


def test_before_submit_guard_refuses_with_its_message(client, citizen):
    demarche = DemarcheFactory(owner=citizen, with_documents=True)
    demarche.answers["etat_civil"]["nom"] = "Suspendu"
    demarche.save()
    page = client.post(_step(demarche, "recapitulatif"), {"attestation": "on", "action": "submit"})
    assert "fait l’objet d’une suspension" in page.text
    assert Demarche.objects.get(pk=demarche.pk).is_draft


def test_documents_still_in_analysis_block_submission(client, citizen):
    demarche = DemarcheFactory(owner=citizen, with_documents=True)
    demarche.documents.update(status=DocumentStatus.EN_ANALYSE)
    page = client.post(_step(demarche, "recapitulatif"), {"attestation": "on", "action": "submit"})
    assert "analyse antivirus en cours" in page.text


def test_replace_and_remove_a_document_before_validation(
    client, citizen, django_capture_on_commit_callbacks
):
    demarche = DemarcheFactory(owner=citizen)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, demarche, "identite", samples.png())
    document = demarche.documents.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("procedures:upload", args=[demarche.number, "identite"]),
            {"file": samples.upload(samples.pdf(pages=2)), "replaces": str(document.pk)},
        )
    replacement = demarche.documents.get()
    assert replacement.pk != document.pk and replacement.pages == 2
    name = replacement.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("procedures:document_remove", args=[replacement.pk]))
    assert not demarche.documents.exists()
    assert not replacement.file.storage.exists(name)


def test_upload_over_xhr_answers_json(client, citizen):
    demarche = DemarcheFactory(owner=citizen)
    url = reverse("procedures:upload", args=[demarche.number, "domicile"])
    response = client.post(
        url, {"file": samples.upload(b"nope")}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("Format non accepté")
    response = client.post(
        url,
        {"file": samples.upload(samples.pdf()), "next": "https://evil.example/"},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.json() == {
        "ok": True,
        "redirect": reverse("procedures:resume", args=[demarche.number]),
    }


def test_oversize_upload_is_stopped_while_reading(client, citizen, settings):
    settings.PROCEDURES_MAX_UPLOAD_BYTES = 100 * 1024
    demarche = DemarcheFactory(owner=citizen)
    response = client.post(
        reverse("procedures:upload", args=[demarche.number, "domicile"]),
        {"file": samples.upload(samples.pdf() + b"%" * 200 * 1024)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert "dépasse la taille maximale autorisée" in response.json()["error"]
    assert not demarche.documents.exists()


def test_abandon_a_draft_and_a_submitted_file(client, citizen):
    draft = DemarcheFactory(owner=citizen)
    client.post(reverse("procedures:abandon", args=[draft.number]))
    assert Demarche.objects.get(pk=draft.pk).status == Status.ABANDONNEE
    submitted = DemarcheFactory(owner=citizen, submitted=True)
    assert client.get(reverse("procedures:abandon", args=[submitted.number])).status_code == 200
    client.post(reverse("procedures:abandon", args=[submitted.number]))
    assert Demarche.objects.get(pk=submitted.pk).status == Status.ABANDONNEE
    taken = DemarcheFactory(owner=citizen, taken=True)
    response = client.post(reverse("procedures:abandon", args=[taken.number]), follow=True)
    assert "elle ne peut plus être abandonnée" in response.text
    assert Demarche.objects.get(pk=taken.pk).status == Status.EN_COURS
