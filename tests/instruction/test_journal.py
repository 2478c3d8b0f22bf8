"""Every opening of a file, a document or an SNPC record by an agent is in
the audit journal (who, what)."""

import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from tests.permis.factories import EPhotoFactory, LicenceRecordFactory
from titres.core.journal import verify_chain
from titres.core.models import AuditEvent

from .factories import DocumentFactory, PermisDemarcheFactory, answers

pytestmark = pytest.mark.django_db


def _events(name):
    return AuditEvent.objects.filter(event=name)


def test_opening_a_file_journals_file_document_and_snpc(agent_client, agent, authority):
    record = LicenceRecordFactory(
        birth_name="CORNEILLE", first_names="Pierre", birth_date=date(1956, 1, 1)
    )
    demarche = PermisDemarcheFactory(
        submitted=True, authority=authority, answers=answers(neph=record.neph)
    )
    document = DocumentFactory(demarche=demarche)
    response = agent_client.get(reverse("instruction:detail", args=[demarche.number]))
    assert response.status_code == 200
    file_event = _events("instruction.dossier_viewed").get()
    assert (file_event.actor, file_event.object_id, file_event.actor_role) == (
        agent,
        str(demarche.pk),
        "agent_instructeur",
    )
    assert _events("procedures.document_viewed").get().object_id == str(document.pk)
    snpc_event = _events("instruction.snpc_viewed").get()
    assert snpc_event.data["neph"] == record.neph and snpc_event.actor == agent
    assert verify_chain().ok


def test_page_image_and_history_are_journaled(agent_client, agent, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    document = DocumentFactory(demarche=demarche)
    response = agent_client.get(reverse("instruction:document_page", args=[document.pk, 1]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    event = _events("instruction.page_viewed").get()
    assert event.actor == agent and event.data["page"] == 1
    agent_client.get(reverse("instruction:history", args=[demarche.number]))
    assert _events("instruction.dossier_viewed").get().data["vue"] == "historique"


def test_photo_and_signature_panel_is_journaled(agent_client, agent, authority):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), "grey").save(buffer, "PNG")
    photo = EPhotoFactory()
    photo.image.save("photo.png", ContentFile(buffer.getvalue()))
    demarche = PermisDemarcheFactory(
        submitted=True, authority=authority, answers=answers(photo={"code_ephoto": photo.code})
    )
    page = agent_client.get(reverse("instruction:detail", args=[demarche.number])).content.decode()
    assert photo.code in page
    response = agent_client.get(reverse("instruction:ephoto", args=[demarche.number, "photo"]))
    assert response.status_code == 200
    assert _events("instruction.photo_viewed").get().actor == agent
    assert (
        agent_client.get(
            reverse("instruction:ephoto", args=[demarche.number, "signature"])
        ).status_code
        == 404
    )


def test_differences_with_the_snpc_are_highlighted(agent_client, authority):
    record = LicenceRecordFactory(
        birth_name="CORNEILLE", first_names="Pierre", birth_date=date(1956, 1, 1), points_balance=7
    )
    demarche = PermisDemarcheFactory(
        submitted=True,
        authority=authority,
        answers=answers(neph=record.neph, prenoms=["Paul"], date_naissance=date(1956, 1, 1)),
    )
    content = agent_client.get(
        reverse("instruction:detail", args=[demarche.number])
    ).content.decode()
    assert "7 / 12" in content
    assert "différences signalées" in content
    assert content.count('class="titres-diff"') == 1  # first names only


def test_no_snpc_record_is_said(agent_client, authority):
    demarche = PermisDemarcheFactory(
        submitted=True, authority=authority, answers=answers(nom="INCONNU")
    )
    content = agent_client.get(
        reverse("instruction:detail", args=[demarche.number])
    ).content.decode()
    assert "Aucun dossier du fichier national ne correspond à cette demande." in content
    assert not _events("instruction.snpc_viewed").exists()
