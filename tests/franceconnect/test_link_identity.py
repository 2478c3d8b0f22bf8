"""Linking by e-mail shows which FranceConnect identity will be linked, and
"send me a link" is limited."""

import re

import pytest

from titres.core.models import AuditEvent
from titres.franceconnect import services
from titres.franceconnect.models import FranceConnectIdentity

from .factories import UserFactory

pytestmark = pytest.mark.django_db

LINK_EMAILS_LIMITED = (
    "Trop de liens de confirmation ont été demandés pour ce compte ou depuis votre adresse "
    "réseau. Utilisez le dernier lien reçu, ou réessayez dans une heure."
)


@pytest.fixture
def existing(provider):
    return UserFactory(email="Jean.Durand@example.org", username="jdurand")


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_identity_in_the_mail_and_on_the_pages(
    client, fc, existing, mailoutbox, django_capture_on_commit_callbacks
):
    fc.sign_in()
    page = text(client.get("/franceconnect/lier/"))
    assert "Identité FranceConnect qui sera reliée" in page
    assert "<dd>Jean Pierre</dd>" in page and "<dd>DURAND</dd>" in page
    assert "<dd>4 mai 1970</dd>" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/franceconnect/lier/", {"action": "email"})
    body = mailoutbox[0].body
    assert "Identité FranceConnect qui sera reliée :" in body
    assert "- Prénoms : Jean Pierre" in body
    assert "- Nom de naissance : DURAND" in body
    assert "- Date de naissance : 4 mai 1970" in body
    path = re.search(r"/franceconnect/lier/confirmer/\S+/", body).group(0)
    confirm = text(client.get(path))
    assert "Identité FranceConnect qui sera reliée" in confirm
    assert "<dd>Jean Pierre</dd>" in confirm
    assert "<dd>4 mai 1970</dd>" in confirm
    assert "Si ce n’est pas votre identité, ne confirmez pas : fermez cette page." in confirm
    assert not FranceConnectIdentity.objects.exists()


def test_partial_birth_date_is_said(existing):
    from titres.franceconnect.models import LinkRequest

    link_request = LinkRequest(
        user=existing, claims={"given_name": "Jean", "family_name": "X", "birthdate": "1950-00-00"}
    )
    assert services.identity_summary(link_request)["birthdate"] == "non communiquée"


def test_link_emails_are_limited_per_account(
    client, fc, existing, mailoutbox, django_capture_on_commit_callbacks
):
    fc.sign_in()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert client.post("/franceconnect/lier/", {"action": "email"}).status_code == 200
        limited = client.post("/franceconnect/lier/", {"action": "email"})
    assert limited.status_code == 429
    assert LINK_EMAILS_LIMITED in text(limited)
    assert len(mailoutbox) == 3
    assert AuditEvent.objects.filter(event="franceconnect.link_email_sent").count() == 3
    # The password way stays open.
    assert "Avec le mot de passe de ce compte" in text(limited)


def test_link_emails_are_limited_per_ip(
    client, fc, existing, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "LINK_EMAIL_IP_LIMIT", "1/hour")
    fc.sign_in()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/franceconnect/lier/", {"action": "email"})
        limited = client.post("/franceconnect/lier/", {"action": "email"})
    assert LINK_EMAILS_LIMITED in text(limited)
    assert len(mailoutbox) == 1
