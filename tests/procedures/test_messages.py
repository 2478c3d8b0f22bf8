"""The dialogue: an agent's request suspends the file, the citizen's answer
with new documents resumes it; notifications leave after commit."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from titres.core import sms
from titres.procedures import services
from titres.procedures.enums import DocumentStatus, MessageKind, Role, Status
from titres.procedures.models import Message

from . import samples
from .factories import DemarcheFactory, UserFactory, agent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_sms():
    sms.outbox.clear()


def test_complement_request_and_answer(client, django_capture_on_commit_callbacks):
    owner = UserFactory(phone="0612345678", email="pierre@example.org")
    demarche = DemarcheFactory(owner=owner, submitted=True)
    instructor = agent()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_complement(
            demarche=demarche,
            agent=instructor,
            role=Role.AGENT_INSTRUCTEUR,
            body="Merci de fournir un justificatif de domicile récent.",
        )
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_ATTENTE_USAGER
    request_message = demarche.messages.get()
    assert request_message.kind == MessageKind.DEMANDE_COMPLEMENT
    subjects = [m.subject for m in mail.outbox]
    assert any("En attente télédéclarant" in s for s in subjects)
    assert any("Nouveau message" in s for s in subjects)
    assert all(m.to == ["pierre@example.org"] for m in mail.outbox)
    assert len(sms.outbox) == 2 and sms.outbox[0][0] == "0612345678"
    status_mail = next(m for m in mail.outbox if "En attente" in m.subject)
    assert "Merci de fournir un justificatif" in status_mail.body
    assert "Reprise" in status_mail.body

    client.force_login(owner)
    page = client.get(reverse("procedures:resume", args=[demarche.number]), follow=True)
    assert "Merci de fournir un justificatif de domicile récent." in page.text
    assert "Pièce complémentaire" in page.text

    # Answering with nothing is refused.
    page = client.post(
        reverse("procedures:complement", args=[demarche.number]), {"body": ""}, follow=True
    )
    assert "Écrivez une réponse ou joignez au moins un document." in page.text

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("procedures:upload", args=[demarche.number, "complement"]),
            {"file": samples.upload(samples.pdf())},
        )
    pending = demarche.documents.get(is_complement=True)
    assert pending.status == DocumentStatus.VALIDE and pending.message is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("procedures:complement", args=[demarche.number]),
            {"body": "Voici la facture."},
        )
    assert response.url == reverse("procedures:detail", args=[demarche.number])
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    answer = demarche.messages.get(kind=MessageKind.REPONSE_COMPLEMENT)
    assert list(answer.documents.all()) == [pending]
    assert [c.event for c in demarche.history.all()][-2:] == ["demander_complement", "completer"]
    # The citizen's status change is mailed; the citizen's own message is not.
    assert [m.subject for m in mail.outbox] == [
        f"Démarche {demarche.display_number} : En cours / Analyse par le service instructeur"
    ]
    page = client.get(reverse("procedures:detail", args=[demarche.number]))
    assert "Recueil complémentaire" in page.text and "Voici la facture." in page.text


def test_notifications_wait_for_the_commit(django_capture_on_commit_callbacks):
    demarche = DemarcheFactory(submitted=True, owner=UserFactory(phone="0611111111"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.post_message(
            demarche=demarche, author=agent(), role=Role.AGENT_INSTRUCTEUR, body="Bonjour"
        )
    assert mail.outbox == [] and sms.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1


def test_citizen_message_from_the_detail_page(client):
    demarche = DemarcheFactory(submitted=True)
    client.force_login(demarche.owner)
    client.post(reverse("procedures:message_post", args=[demarche.number]), {"body": "Question ?"})
    message = Message.objects.get()
    assert message.author_role == Role.USAGER and message.body == "Question ?"


def test_no_messages_on_a_draft_and_no_writing_for_read_only_agents():
    draft = DemarcheFactory()
    with pytest.raises(ValidationError):
        services.post_message(demarche=draft, author=draft.owner, role=Role.USAGER, body="x")
    submitted = DemarcheFactory(submitted=True)
    with pytest.raises(PermissionDenied):
        services.post_message(
            demarche=submitted,
            author=agent(Role.LECTURE_SEULE),
            role=Role.LECTURE_SEULE,
            body="x",
        )
    with pytest.raises(PermissionDenied):
        services.post_message(demarche=submitted, author=UserFactory(), role=Role.USAGER, body="x")
    with pytest.raises(ValidationError):
        services.post_message(
            demarche=submitted, author=submitted.owner, role=Role.USAGER, body="   "
        )
