import re

import pytest
from django.core import mail
from freezegun import freeze_time

from titres.accounts import lockout
from titres.core.models import AuditEvent

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

IDENTIFIER_DONE = (
    "Si un compte correspond à cette adresse, un courriel rappelant votre identifiant "
    "vient d’y être envoyé."
)
RESET_DONE = (
    "Si un compte correspond à ces informations, un courriel contenant un lien pour "
    "choisir un nouveau mot de passe vient d’être envoyé à son adresse."
)
NEW_PASSWORD = "Nouveau-Cheval-2026!"


def reset_path(message) -> str:
    link = re.search(r"http://\S+/compte/mot-de-passe-oublie/\S+/\S+/", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", link)


def test_forgotten_identifier_is_mailed(client, run_on_commit):
    UserFactory(username="camille.m", email="camille@exemple.fr")
    with run_on_commit():
        response = client.post(
            "/compte/identifiant-oublie/", {"email": "Camille@Exemple.fr"}, follow=True
        )
    assert IDENTIFIER_DONE in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Votre identifiant Titres"
    assert "L’identifiant de votre compte est : camille.m" in mail.outbox[0].body
    assert AuditEvent.objects.filter(event="accounts.identifier_reminder_sent").exists()


def test_forgotten_identifier_reveals_nothing(client, run_on_commit):
    with run_on_commit():
        response = client.post(
            "/compte/identifiant-oublie/", {"email": "inconnu@exemple.fr"}, follow=True
        )
    assert IDENTIFIER_DONE in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("typed", ["camille.m", "camille@exemple.fr"])
def test_password_reset_by_identifier_or_email(client, run_on_commit, typed):
    user = UserFactory(username="camille.m", email="camille@exemple.fr")
    with run_on_commit():
        response = client.post("/compte/mot-de-passe-oublie/", {"identifier": typed}, follow=True)
    assert RESET_DONE in response.content.decode()
    assert mail.outbox[0].subject == "Choisissez un nouveau mot de passe"
    assert "Il ne peut servir qu’une fois et expire dans 60 minutes" in " ".join(
        mail.outbox[0].body.split()
    )
    path = reset_path(mail.outbox[0])
    assert client.get(path).status_code == 200
    with run_on_commit():
        done = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.url == "/compte/connexion/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert mail.outbox[-1].subject == "Votre mot de passe a été modifié"
    assert AuditEvent.objects.filter(event="accounts.password_reset").exists()
    # Single use.
    again = client.get(path)
    assert again.status_code == 404
    assert (
        "Ce lien de réinitialisation n’est plus valide : il a déjà été utilisé ou a expiré."
        in again.content.decode()
    )


def test_password_reset_reveals_nothing(client, run_on_commit):
    with run_on_commit():
        response = client.post(
            "/compte/mot-de-passe-oublie/", {"identifier": "personne"}, follow=True
        )
    assert RESET_DONE in response.content.decode()
    assert mail.outbox == []


def test_password_reset_link_expires(client, run_on_commit, settings):
    with freeze_time("2026-03-01 10:00:00") as frozen:
        UserFactory(username="camille.m")
        with run_on_commit():
            client.post("/compte/mot-de-passe-oublie/", {"identifier": "camille.m"})
        path = reset_path(mail.outbox[0])
        frozen.tick(settings.PASSWORD_RESET_TIMEOUT + 1)
        response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 404


def test_password_reset_refuses_weak_password(client, run_on_commit):
    UserFactory(username="camille.m")
    with run_on_commit():
        client.post("/compte/mot-de-passe-oublie/", {"identifier": "camille.m"})
    response = client.post(
        reset_path(mail.outbox[0]), {"new_password1": "court", "new_password2": "court"}
    )
    assert (
        "Votre mot de passe doit contenir au moins 12 caractères, dont au moins une "
        "majuscule, une minuscule, un chiffre et un caractère spécial." in response.content.decode()
    )


def test_password_reset_clears_the_lockout(client, run_on_commit, settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 1
    account = lockout.account_key(user=UserFactory(username="camille.m"))
    lockout.register_failure(account, None)
    assert lockout.current_lock(account, None)
    with run_on_commit():
        client.post("/compte/mot-de-passe-oublie/", {"identifier": "camille.m"})
    client.post(
        reset_path(mail.outbox[0]), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert lockout.current_lock(account, None) is None


def test_pending_account_gets_a_new_activation_link_instead(client, run_on_commit):
    UserFactory(username="attente", pending=True)
    with run_on_commit():
        client.post("/compte/mot-de-passe-oublie/", {"identifier": "attente"})
    assert mail.outbox[0].subject == "Activez votre compte Titres"


def test_old_password_no_longer_works_after_reset(client, run_on_commit):
    UserFactory(username="camille.m")
    with run_on_commit():
        client.post("/compte/mot-de-passe-oublie/", {"identifier": "camille.m"})
    client.post(
        reset_path(mail.outbox[0]), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    old = client.post("/compte/connexion/", {"username": "camille.m", "password": PASSWORD})
    assert old.status_code == 200
    new = client.post("/compte/connexion/", {"username": "camille.m", "password": NEW_PASSWORD})
    assert new.status_code == 302
