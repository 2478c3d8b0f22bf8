"""The admin never bypasses the journal: démarches, documents and messages
are read-only and cannot be deleted; authorities change through services."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests.accounts.conftest import verified_login
from titres.core.models import AuditEvent
from titres.procedures.models import Authority, Demarche, Document, Message

from .factories import (
    AuthorityFactory,
    DemarcheFactory,
    DocumentFactory,
    MessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = UserFactory(operator=True)
    verified_login(client, user)  # the admin site requires the second factor
    return user


@pytest.mark.parametrize("model", [Demarche, Document, Message])
def test_no_add_change_or_delete_even_for_a_superuser(model, operator):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/gestion/")
    request.user = operator
    assert model_admin.has_delete_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_add_permission(request) is False
    assert "delete_selected" not in model_admin.get_actions(request)


def test_delete_pages_are_refused_and_nothing_is_deleted(client, operator):
    document = DocumentFactory(demarche=DemarcheFactory(submitted=True))
    message = MessageFactory(demarche=document.demarche)
    for name, obj in [
        ("procedures_demarche_delete", document.demarche),
        ("procedures_document_delete", document),
        ("procedures_message_delete", message),
    ]:
        url = reverse(f"admin:{name}", args=[obj.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:procedures_demarche_changelist")
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [document.demarche.pk]}
    )
    assert response.status_code in {200, 302}
    assert Demarche.objects.filter(pk=document.demarche.pk).exists()
    assert Document.objects.filter(pk=document.pk).exists()
    assert Message.objects.filter(pk=message.pk).exists()
    # Read access stays.
    url = reverse("admin:procedures_demarche_change", args=[document.demarche.pk])
    assert client.get(url).status_code == 200


def test_authority_changes_are_journaled(client, operator):
    authority = AuthorityFactory(code="543")
    url = reverse("admin:procedures_authority_change", args=[authority.pk])
    response = client.post(
        url,
        {
            "code": "543",
            "name": "Préfecture de Meurthe-et-Moselle (Nancy)",
            "kind": authority.kind,
            "departements": '["54"]',
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    authority.refresh_from_db()
    assert authority.name == "Préfecture de Meurthe-et-Moselle (Nancy)"
    event = AuditEvent.objects.get(event="procedures.autorite_changed")
    assert event.object_id == str(authority.pk)
    assert "name" in event.data["champs"]
    spare = AuthorityFactory(code="999", name="Préfecture de test", departements=["99"])
    url = reverse("admin:procedures_authority_delete", args=[spare.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Authority.objects.filter(pk=spare.pk).exists()
    assert AuditEvent.objects.get(event="procedures.autorite_deleted").data["code"] == "999"
