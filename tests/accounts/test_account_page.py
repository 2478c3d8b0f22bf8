import json
import re

import pytest
from django.core import mail

from titres.accounts.models import User
from titres.core.models import AuditEvent

from .conftest import assert_form_error
from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(client, terms):
    user = UserFactory(username="camille.m", email="camille@exemple.fr")
    client.force_login(user)
    return user


def edit_data(**overrides):
    data = {
        "first_name": "Camille",
        "last_name": "Dupont",
        "sex": "F",
        "phone": "07 81 22 33 44",
        "email": "camille@exemple.fr",
        "secret_question": "first_pet",
        "secret_answer": "",
    }
    data.update(overrides)
    return data


def test_account_page_shows_details(client, user):
    page = client.get("/compte/").content.decode()
    for text in ["camille.m", "camille@exemple.fr", "06 12 34 56 78", "Usager (particulier)"]:
        assert text in page
    assert "Version 1 acceptée le" in page


def test_edit_contact_details(client, user):
    response = client.post("/compte/modifier/", edit_data())
    assert response.url == "/compte/"
    user.refresh_from_db()
    assert user.last_name == "Dupont"
    assert user.phone == "+33781223344"
    event = AuditEvent.objects.get(event="accounts.account_updated")
    assert set(event.data["fields"]) == {"last_name", "phone"}


def test_edit_refuses_bad_phone(client, user):
    response = client.post("/compte/modifier/", edit_data(phone="12"))
    assert_form_error(
        response,
        "phone",
        "Saisissez un numéro de téléphone français à 10 chiffres (exemple : 06 12 34 56 78).",
    )


def test_change_secret_answer(client, user):
    client.post(
        "/compte/modifier/",
        edit_data(
            secret_question="first_school", secret_answer="Jaurès", current_password=PASSWORD
        ),
    )
    user.refresh_from_db()
    assert user.secret_question == "first_school"
    assert user.check_secret_answer("jaurès")


def test_email_change_is_confirmed_by_link_to_new_address(client, user, run_on_commit):
    with run_on_commit():
        response = client.post(
            "/compte/modifier/", edit_data(email="nouvelle@exemple.fr", current_password=PASSWORD)
        )
    page = client.get(response.url).content.decode()
    assert "Un lien de confirmation a été envoyé à nouvelle@exemple.fr." in page
    user.refresh_from_db()
    assert user.email == "camille@exemple.fr"  # not yet
    message = mail.outbox[0]
    assert message.to == ["nouvelle@exemple.fr"]
    path = re.search(r"/compte/adresse-e-mail/\S+/", message.body).group(0)
    with run_on_commit():
        confirmed = client.get(path, follow=True)
    assert "Votre nouvelle adresse e-mail est confirmée." in confirmed.content.decode()
    user.refresh_from_db()
    assert user.email == "nouvelle@exemple.fr"
    # The former address is told.
    assert mail.outbox[-1].to == ["camille@exemple.fr"]
    assert "nouvelle@exemple.fr" in mail.outbox[-1].body
    # Single use.
    again = client.get(path, follow=True).content.decode()
    assert "Ce lien de confirmation n’est plus valide" in again


def test_email_change_refuses_an_address_in_use(client, user):
    UserFactory(email="prise@exemple.fr")
    response = client.post("/compte/modifier/", edit_data(email="prise@exemple.fr"))
    assert_form_error(
        response, "email", "Cette adresse e-mail est déjà utilisée par un autre compte."
    )


def test_email_taken_between_request_and_confirmation(client, user, run_on_commit):
    with run_on_commit():
        client.post(
            "/compte/modifier/", edit_data(email="nouvelle@exemple.fr", current_password=PASSWORD)
        )
    path = re.search(r"/compte/adresse-e-mail/\S+/", mail.outbox[0].body).group(0)
    UserFactory(email="nouvelle@exemple.fr")
    page = client.get(path, follow=True).content.decode()
    assert "Cette adresse e-mail est déjà utilisée par un autre compte." in page


CURRENT_PASSWORD_REQUIRED = (
    "Saisissez votre mot de passe actuel pour changer d’adresse e-mail ou de réponse à la "
    "question secrète."
)


@pytest.mark.parametrize(
    "changes",
    [{"email": "nouvelle@exemple.fr"}, {"secret_question": "first_school", "secret_answer": "X"}],
)
def test_email_or_secret_answer_change_needs_the_password(client, user, changes):
    missing = client.post("/compte/modifier/", edit_data(**changes))
    assert_form_error(missing, "current_password", CURRENT_PASSWORD_REQUIRED)
    wrong = client.post("/compte/modifier/", edit_data(current_password="faux", **changes))
    assert_form_error(wrong, "current_password", "Mot de passe actuel incorrect.")
    user.refresh_from_db()
    assert user.check_secret_answer("Rex") and user.secret_question == "first_pet"
    assert user.email == "camille@exemple.fr"
    assert not AuditEvent.objects.filter(
        event__in=["accounts.account_updated", "accounts.email_change_requested"]
    ).exists()
    assert mail.outbox == []


def test_other_details_change_without_the_password(client, user):
    response = client.post("/compte/modifier/", edit_data(first_name="Camilla"))
    assert response.status_code == 302


def test_account_without_password_changes_email_without_it(client, terms, run_on_commit):
    user = UserFactory(username="fc-abc", email="camille@exemple.fr")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert "current_password" not in client.get("/compte/modifier/").content.decode()
    with run_on_commit():
        response = client.post("/compte/modifier/", edit_data(email="nouvelle@exemple.fr"))
    assert response.status_code == 302
    assert mail.outbox[0].to == ["nouvelle@exemple.fr"]


def test_change_password(client, user, run_on_commit):
    new = "Autre-Cheval-2026!"
    with run_on_commit():
        response = client.post(
            "/compte/mot-de-passe/",
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
    assert response.url == "/compte/"
    user.refresh_from_db()
    assert user.check_password(new)
    # Still signed in.
    assert client.get("/compte/").status_code == 200
    assert mail.outbox[0].subject == "Votre mot de passe a été modifié"
    assert AuditEvent.objects.filter(event="accounts.password_changed").exists()


def test_change_password_needs_the_old_one(client, user):
    new = "Autre-Cheval-2026!"
    response = client.post(
        "/compte/mot-de-passe/",
        {"old_password": "faux", "new_password1": new, "new_password2": new},
    )
    assert_form_error(
        response,
        "old_password",
        "Votre ancien mot de passe est incorrect. Veuillez le rectifier.",
    )


def test_download_my_data(client, user):
    assert client.get("/compte/mes-donnees/").status_code == 200
    response = client.post("/compte/mes-donnees/")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["identifiant"] == "camille.m"
    assert data["account"]["email"] == "camille@exemple.fr"
    assert data["account"]["telephone"] == "06 12 34 56 78"
    assert "Rex" not in response.content.decode()
    assert data["conditions_generales"][0]["version"] == 1
    assert AuditEvent.objects.filter(event="accounts.data_exported", actor_id=user.pk).exists()
    # The journal of the account is part of it.
    again = json.loads(client.post("/compte/mes-donnees/").content)
    assert "accounts.data_exported" in [e["evenement"] for e in again["journal"]]


def test_delete_my_account(client, user, run_on_commit):
    assert client.get("/compte/supprimer/").status_code == 200
    with run_on_commit():
        response = client.post("/compte/supprimer/", {"password": PASSWORD, "confirm": "on"})
    assert response.url == "/"
    assert not User.objects.filter(username="camille.m").exists()
    assert "_auth_user_id" not in client.session
    assert "Votre compte et vos données ont été supprimés." in client.get("/").content.decode()
    assert mail.outbox[0].subject == "Votre compte Titres a été supprimé"
    event = AuditEvent.objects.get(event="accounts.account_deleted")
    assert event.data["by"] == "user"
    assert event.object_id == str(user.pk)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"password": "faux", "confirm": "on"}, "password", "Mot de passe incorrect."),
        (
            {"password": PASSWORD},
            "confirm",
            "Cochez la case pour confirmer la suppression de votre compte.",
        ),
    ],
)
def test_delete_needs_confirmation(client, user, data, field, message):
    response = client.post("/compte/supprimer/", data)
    assert_form_error(response, field, message)
    assert User.objects.filter(pk=user.pk).exists()


def test_deleting_an_account_keeps_the_journal_chain_valid(user):
    from titres.accounts.services.account import delete_account, export_personal_data
    from titres.core.journal import verify_chain

    export_personal_data(user=user)
    delete_account(user=user, actor=user)
    assert verify_chain().ok
