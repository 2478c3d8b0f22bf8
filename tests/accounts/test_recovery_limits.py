"""Recovery e-mails are limited: 3 per hour per target address, 20 per hour
per IP address. When limited, the same neutral answer and nothing sent."""

import pytest
from django.core import mail

from titres.accounts.services import recovery

from .factories import UserFactory

pytestmark = pytest.mark.django_db

RESEND_DONE = (
    "Si un compte en attente d’activation correspond à cette adresse, un nouveau lien "
    "d’activation vient d’y être envoyé."
)
IDENTIFIER_DONE = (
    "Si un compte correspond à cette adresse, un courriel rappelant votre identifiant "
    "vient d’y être envoyé."
)
RESET_DONE = (
    "Si un compte correspond à ces informations, un courriel contenant un lien pour "
    "choisir un nouveau mot de passe vient d’être envoyé à son adresse."
)

PAGES = {
    "activation": ("/compte/activation/renvoyer/", "email", RESEND_DONE),
    "identifier": ("/compte/identifiant-oublie/", "email", IDENTIFIER_DONE),
    "password_reset": ("/compte/mot-de-passe-oublie/", "identifier", RESET_DONE),
}


def test_limits():
    assert recovery.RECOVERY_TARGET_LIMIT == "3/hour"
    assert recovery.RECOVERY_IP_LIMIT == "20/hour"


def _account(kind, email):
    return UserFactory(email=email, username=email.split("@")[0], pending=kind == "activation")


@pytest.mark.parametrize("kind", list(PAGES))
def test_three_mails_per_hour_to_one_address(client, run_on_commit, kind):
    url, field, done = PAGES[kind]
    _account(kind, "camille@exemple.fr")
    for number in range(4):
        # A different address each time: the per-IP limit is not the one at work.
        with run_on_commit():
            response = client.post(
                url, {field: "Camille@Exemple.fr"}, REMOTE_ADDR=f"192.0.2.{number}", follow=True
            )
        assert done in response.content.decode()
    assert len(mail.outbox) == 3


def test_reset_limit_counts_the_account_whatever_was_typed(client, run_on_commit):
    url, field, _done = PAGES["password_reset"]
    _account("password_reset", "camille@exemple.fr")
    with run_on_commit():
        for typed in ["camille", "camille@exemple.fr", "CAMILLE", "Camille@exemple.fr"]:
            client.post(url, {field: typed})
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("kind", list(PAGES))
def test_per_ip_limit(client, run_on_commit, monkeypatch, kind):
    monkeypatch.setattr(recovery, "RECOVERY_IP_LIMIT", "2/hour")
    url, field, done = PAGES[kind]
    for number in range(3):
        _account(kind, f"personne{number}@exemple.fr")
    for number in range(3):
        with run_on_commit():
            response = client.post(
                url, {field: f"personne{number}@exemple.fr"}, REMOTE_ADDR="192.0.2.1", follow=True
            )
        assert done in response.content.decode()
    assert len(mail.outbox) == 2
    # Another address is still served.
    with run_on_commit():
        client.post(url, {field: "personne2@exemple.fr"}, REMOTE_ADDR="192.0.2.2")
    assert len(mail.outbox) == 3
