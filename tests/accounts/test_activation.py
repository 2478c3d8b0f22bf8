import re

import pytest
from django.core import mail
from freezegun import freeze_time

from titres.accounts import tokens
from titres.accounts.models import User
from titres.core.models import AuditEvent

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def activation_link(message) -> str:
    return re.search(r"http://[^\s]+/compte/activation/[^\s]+/", message.body).group(0)


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_activation_link_activates_once(client, run_on_commit):
    user = UserFactory(pending=True)
    path = f"/compte/activation/{tokens.make_activation_token(user)}/"
    response = client.get(path)
    assert response.url == "/compte/connexion/"
    user.refresh_from_db()
    assert user.is_active and user.email_verified_at
    assert AuditEvent.objects.filter(
        event="accounts.account_activated", object_id=str(user.pk)
    ).exists()
    page = client.get(response.url).content.decode()
    assert "Votre compte est activé. Vous pouvez maintenant vous connecter." in page
    again = client.get(path, follow=True)
    assert "Votre compte est déjà activé : vous pouvez vous connecter." in again.content.decode()


def test_activation_link_expires_after_48_hours(client, settings):
    assert settings.ACCOUNT_ACTIVATION_HOURS == 48
    with freeze_time("2026-03-01 10:00:00"):
        user = UserFactory(pending=True)
        path = f"/compte/activation/{tokens.make_activation_token(user)}/"
    with freeze_time("2026-03-03 09:59:00"):
        assert client.get(path).status_code == 302
    user.is_active, user.email_verified_at = False, None
    user.save()
    with freeze_time("2026-03-03 10:00:02"):
        response = client.get(path)
    assert response.status_code == 410
    assert (
        "Ce lien d’activation a expiré : il n’est valable que 48 heures. Vous pouvez "
        "recevoir un nouveau lien." in response.content.decode()
    )
    user.refresh_from_db()
    assert not user.is_active


def test_tampered_activation_link_is_refused(client):
    user = UserFactory(pending=True)
    token = tokens.make_activation_token(user)
    response = client.get(f"/compte/activation/{token[:-2]}xx/")
    assert response.status_code == 404
    assert "Ce lien d’activation n’est pas valide." in response.content.decode()


def test_link_sent_to_a_former_address_no_longer_works(client):
    user = UserFactory(pending=True, email="ancienne@exemple.fr")
    token = tokens.make_activation_token(user)
    User.objects.filter(pk=user.pk).update(email="nouvelle@exemple.fr")
    assert client.get(f"/compte/activation/{token}/").status_code == 404


def test_resend_activation_sends_a_new_working_link(client, run_on_commit):
    user = UserFactory(pending=True, email="attente@exemple.fr")
    with run_on_commit():
        response = client.post("/compte/activation/renvoyer/", {"email": "ATTENTE@exemple.fr"})
    assert response.url == "/compte/connexion/"
    assert len(mail.outbox) == 1
    client.get(path_of(activation_link(mail.outbox[0])))
    user.refresh_from_db()
    assert user.is_active


@pytest.mark.parametrize("kind", ["unknown", "active"])
def test_resend_activation_reveals_nothing(client, run_on_commit, kind):
    UserFactory(email="actif@exemple.fr")
    address = "inconnu@exemple.fr" if kind == "unknown" else "actif@exemple.fr"
    with run_on_commit():
        response = client.post("/compte/activation/renvoyer/", {"email": address}, follow=True)
    assert mail.outbox == []
    assert (
        "Si un compte en attente d’activation correspond à cette adresse, un nouveau lien "
        "d’activation vient d’y être envoyé." in response.content.decode()
    )


def test_pending_account_cannot_log_in(client):
    UserFactory(pending=True, username="attente")
    response = client.post(
        "/compte/connexion/", {"username": "attente", "password": "Mot-de-passe-2026!"}
    )
    assert (
        "Votre compte n’est pas encore activé. Cliquez sur le lien reçu par courriel ou "
        "demandez un nouveau lien d’activation." in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_expiry_uses_the_setting(settings):
    settings.ACCOUNT_ACTIVATION_HOURS = 1
    assert tokens.activation_max_age() == 3600
