"""Rights: a stranger's démarche, document or message is a 404, exactly
like a missing one; agents see submitted files only."""

import uuid

import pytest
from django.urls import reverse

from titres.core.models import AuditEvent
from titres.procedures.access import (
    AccessPolicy,
    register_access_policy,
    roles_of,
    unregister_access_policy,
)
from titres.procedures.enums import DocumentStatus, Role
from titres.procedures.models import Demarche
from titres.procedures.selectors import (
    demarches_visible_to,
    documents_visible_to,
    messages_visible_to,
)

from .factories import DemarcheFactory, DocumentFactory, MessageFactory, UserFactory, agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.mark.parametrize("name", ["detail", "resume", "complement", "confirmation", "abandon"])
def test_another_citizens_file_is_404(client, stranger, name):
    demarche = DemarcheFactory(submitted=True)
    assert client.get(reverse(f"procedures:{name}", args=[demarche.number])).status_code == 404
    missing = client.get(reverse(f"procedures:{name}", args=["0000000000000"]))
    assert missing.status_code == 404


def test_another_citizens_wizard_step_upload_and_message_post_are_404(client, stranger):
    demarche = DemarcheFactory()
    assert (
        client.get(reverse("procedures:step", args=[demarche.number, "motif"])).status_code == 404
    )
    url = reverse("procedures:upload", args=[demarche.number, "domicile"])
    assert client.post(url, {}).status_code == 404
    submitted = DemarcheFactory(submitted=True)
    url = reverse("procedures:message_post", args=[submitted.number])
    assert client.post(url, {"body": "Bonjour"}).status_code == 404
    assert not submitted.messages.exists()


def test_another_citizens_document_is_404(client, stranger):
    document = DocumentFactory()
    assert client.get(reverse("procedures:document", args=[document.pk])).status_code == 404
    assert client.get(reverse("procedures:document", args=[uuid.uuid4()])).status_code == 404
    assert client.post(reverse("procedures:document_remove", args=[document.pk])).status_code == 404
    assert Demarche.objects.get(pk=document.demarche_id).documents.count() == 1


def test_another_citizens_message_is_404(client, stranger):
    message = MessageFactory()
    assert client.get(reverse("procedures:message", args=[message.pk])).status_code == 404
    client.force_login(message.demarche.owner)
    assert client.get(reverse("procedures:message", args=[message.pk])).status_code == 200


def test_owner_gets_the_document_with_safe_headers(client):
    document = DocumentFactory()
    client.force_login(document.demarche.owner)
    response = client.get(reverse("procedures:document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith('inline; filename="facture.png"')
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert AuditEvent.objects.filter(
        event="procedures.document_viewed", object_id=str(document.pk)
    ).exists()


def test_tiff_is_served_as_attachment(client):
    document = DocumentFactory(content_type="image/tiff", original_name="scan.tif")
    client.force_login(document.demarche.owner)
    response = client.get(reverse("procedures:document", args=[document.pk]))
    assert response["Content-Disposition"].startswith("attachment")


def test_citizen_urls_serve_the_owner_only_even_to_agents(client):
    """Agents read documents in the back office's viewer (second factor,
    journal); the citizen URLs never serve them another person's file."""
    submitted = DemarcheFactory(submitted=True)
    document = DocumentFactory(demarche=submitted)
    message = MessageFactory(demarche=submitted)
    for role in (Role.LECTURE_SEULE, Role.AGENT_INSTRUCTEUR, Role.CHEF_DE_SERVICE):
        client.force_login(agent(role))
        assert client.get(reverse("procedures:document", args=[document.pk])).status_code == 404
        assert client.get(reverse("procedures:message", args=[message.pk])).status_code == 404
        assert client.get(reverse("procedures:detail", args=[submitted.number])).status_code == 404
    assert not AuditEvent.objects.filter(event="procedures.document_viewed").exists()


def test_staff_with_permission_sees_submitted_files_only_once_verified():
    draft_document = DocumentFactory()
    submitted = DemarcheFactory(submitted=True)
    document = DocumentFactory(demarche=submitted)
    message = MessageFactory(demarche=submitted)
    reader = agent(Role.LECTURE_SEULE)
    assert set(documents_visible_to(reader)) == {document}
    assert set(messages_visible_to(reader)) == {message}
    assert draft_document not in documents_visible_to(reader)
    assert roles_of(reader, submitted) == {Role.LECTURE_SEULE}
    # Password only (second factor not verified): nothing at all.
    password_only = agent(Role.CHEF_DE_SERVICE, verified=False)
    assert not demarches_visible_to(password_only).exists()
    assert not documents_visible_to(password_only).exists()
    assert not messages_visible_to(password_only).exists()
    assert roles_of(password_only, submitted) == set()
    # A user object without django-otp's is_verified (shell, task) is no agent.
    plain = UserFactory(is_staff=True, permissions=["procedures.consulter_demarche"])
    assert not demarches_visible_to(plain).exists()
    # Staff without the permission sees nothing either.
    staff = UserFactory(is_staff=True)
    staff.is_verified = lambda: True
    assert not demarches_visible_to(staff).exists()


def test_password_only_staff_cannot_transition():
    from titres.procedures.workflow import TransitionRefused, apply_transition

    demarche = DemarcheFactory(submitted=True)
    with pytest.raises(TransitionRefused):
        apply_transition(
            demarche=demarche,
            event="valider",
            actor=agent(verified=False),
            role=Role.AGENT_INSTRUCTEUR,
        )
    demarche.refresh_from_db()
    assert demarche.status == "EN_COURS"


def test_document_in_analysis_is_not_served_to_its_owner(client):
    document = DocumentFactory(status=DocumentStatus.EN_ANALYSE)
    client.force_login(document.demarche.owner)
    response = client.get(reverse("procedures:document", args=[document.pk]))
    assert response.status_code == 409
    assert "Document en cours d’analyse antivirus" in response.text
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(event="procedures.document_viewed").exists()
    refused = DocumentFactory(status=DocumentStatus.REFUSE)
    client.force_login(refused.demarche.owner)
    response = client.get(reverse("procedures:document", args=[refused.pk]))
    assert response.status_code == 409
    assert "Ce document ne peut pas être ouvert." in response.text
    infected = DocumentFactory(status=DocumentStatus.INFECTE)
    client.force_login(infected.demarche.owner)
    assert client.get(reverse("procedures:document", args=[infected.pk])).status_code == 404


def test_registered_policy_extends_access():
    """How the back office plugs in: files of its agents' authority."""
    agent_user = UserFactory()
    mine = DemarcheFactory(submitted=True)
    other = DemarcheFactory(submitted=True, authority=None)

    class AuthorityPolicy(AccessPolicy):
        def agent_filter(self, user):
            from django.db.models import Q

            return Q(authority__code="543") if user.pk == agent_user.pk else None

        def agent_roles(self, user, demarche):
            ok = user.pk == agent_user.pk and demarche.authority_id == mine.authority_id
            return {Role.AGENT_INSTRUCTEUR} if ok else set()

    policy = AuthorityPolicy()
    register_access_policy(policy)
    try:
        assert set(demarches_visible_to(agent_user)) == {mine}
        assert other not in demarches_visible_to(agent_user)
        assert not documents_visible_to(agent_user).filter(demarche=other).exists()
        from titres.procedures.workflow import apply_transition

        apply_transition(
            demarche=mine, event="valider", actor=agent_user, role=Role.AGENT_INSTRUCTEUR
        )
    finally:
        unregister_access_policy(policy)
    assert (
        not demarches_visible_to(agent_user).exists()
        or set(demarches_visible_to(agent_user)) == set()
    )


def test_anonymous_is_sent_to_login(client):
    document = DocumentFactory()
    response = client.get(reverse("procedures:document", args=[document.pk]))
    assert response.status_code == 302 and "/compte/connexion/" in response.url
