"""What a FranceConnect sign-in does to accounts: creation, linking with
proof of ownership, unlinking, refusals for suspended accounts."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from titres.core.models import AuditEvent
from titres.franceconnect.models import FranceConnectIdentity, LinkRequest

from .factories import PASSWORD, FranceConnectIdentityFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def logged_in_user(client):
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def test_first_sign_in_creates_a_particulier_account(client, fc):
    response = fc.sign_in()
    assert response.status_code == 302
    user = logged_in_user(client)
    assert re.fullmatch(r"fc-[0-9a-f]{10}", user.username)
    assert user.profile == "particulier"
    assert user.email == "jean.durand@example.org"
    assert (user.first_name, user.last_name, user.sex) == ("Jean Pierre", "DURAND", "M")
    assert user.is_active and user.email_verified_at is not None
    assert not user.has_usable_password()
    identity = user.franceconnect_identity
    assert identity.sub == "a" * 64 + "v1"
    assert identity.birthdate == datetime.date(1970, 5, 4)
    assert (identity.birthplace, identity.birthcountry, identity.gender) == (
        "33063",
        "99100",
        "male",
    )
    assert identity.eidas_level == "eidas1"
    assert identity.link_method == "creation"
    assert AuditEvent.objects.filter(event="franceconnect.account_created", actor=user).exists()


def test_next_sign_in_refreshes_the_verified_identity(client, fc, provider):
    fc.sign_in()
    client.logout()
    provider.identity["preferred_username"] = "MARTIN"
    provider.identity["email"] = "nouvelle@example.org"
    fc.callback(fc.start(), code="code-2")
    assert User.objects.filter(username__startswith="fc-").count() == 1
    identity = FranceConnectIdentity.objects.get()
    assert identity.preferred_username == "MARTIN"
    assert identity.email == "nouvelle@example.org"
    assert AuditEvent.objects.filter(event="franceconnect.login").count() == 1


def test_next_url_is_honoured_only_on_this_site(client, fc):
    response = fc.callback(fc.start(next="/franceconnect/"))
    assert response["Location"] == "/franceconnect/"
    client.logout()
    response = fc.callback(fc.start(next="https://evil.test/"), code="code-2")
    assert response["Location"] == "/tableau-de-bord/"


def test_a_born_abroad_identity_without_birthplace(client, fc, provider):
    provider.identity.update(birthplace="", birthcountry="99350")
    fc.sign_in()
    identity = FranceConnectIdentity.objects.get()
    assert (identity.birthplace, identity.birthcountry) == ("", "99350")


def test_suspended_account_is_refused(client, fc, provider):
    identity = FranceConnectIdentityFactory(sub=provider.sub)
    identity.user.suspended_until = timezone.now() + datetime.timedelta(days=2)
    identity.user.save()
    response = fc.sign_in()
    assert response.status_code == 400
    assert "Votre compte est suspendu" in response.content.decode()
    assert logged_in_user(client) is None


def test_inactive_account_is_refused(client, fc, provider):
    identity = FranceConnectIdentityFactory(sub=provider.sub, user__is_active=False)
    response = fc.sign_in()
    assert response.status_code == 400
    assert "Votre compte est désactivé" in response.content.decode()
    assert logged_in_user(client) is None
    assert identity.user.last_login is None


# --- An account already uses the e-mail address ------------------------------------


@pytest.fixture
def existing(provider):
    return UserFactory(email="Jean.Durand@example.org", username="jdurand")


def test_existing_email_requires_a_proof(client, fc, existing):
    response = fc.sign_in()
    assert response["Location"] == "/franceconnect/lier/"
    assert logged_in_user(client) is None
    assert not FranceConnectIdentity.objects.exists()
    page = client.get("/franceconnect/lier/")
    html = page.content.decode()
    assert "Un compte existe déjà" in html
    assert "Je•••••••••@example.org" in html
    assert AuditEvent.objects.filter(event="franceconnect.link_requested").exists()


def test_wrong_password_does_not_link(client, fc, existing):
    fc.sign_in()
    response = client.post("/franceconnect/lier/", {"password": "pas-le-bon"})
    assert response.status_code == 400
    assert "Mot de passe incorrect." in response.content.decode()
    assert logged_in_user(client) is None
    assert not FranceConnectIdentity.objects.exists()


def test_right_password_links_and_signs_in(client, fc, existing):
    fc.sign_in()
    response = client.post("/franceconnect/lier/", {"password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_user(client) == existing
    assert client.session["franceconnect_id_token"]
    identity = existing.franceconnect_identity
    assert identity.link_method == "mot_de_passe"
    assert identity.given_name == "Jean Pierre"
    assert AuditEvent.objects.filter(
        event="franceconnect.linked", actor=existing, data__method="mot_de_passe"
    ).exists()
    # The link request cannot serve twice.
    assert client.get("/franceconnect/lier/").status_code == 400


def test_too_many_wrong_passwords_close_the_request(client, fc, existing):
    fc.sign_in()
    for _attempt in range(4):
        client.post("/franceconnect/lier/", {"password": "faux"})
    response = client.post("/franceconnect/lier/", {"password": "faux"})
    assert response.status_code == 400
    assert "Trop d’essais" in response.content.decode()
    assert not LinkRequest.objects.get().is_open
    assert client.post("/franceconnect/lier/", {"password": PASSWORD}).status_code == 400
    assert not FranceConnectIdentity.objects.exists()


def test_link_by_email_in_the_same_browser(
    client, fc, existing, mailoutbox, django_capture_on_commit_callbacks
):
    fc.sign_in()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/franceconnect/lier/", {"action": "email"})
    assert "Un courriel contenant un lien" in page.content.decode()
    assert logged_in_user(client) is None
    (message,) = mailoutbox
    assert message.to == ["Jean.Durand@example.org"]
    assert "jdurand" in message.body
    link = re.search(r"http\S+/franceconnect/lier/confirmer/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirm = client.get(f"/{path}")
    assert "Confirmer la liaison" in confirm.content.decode()
    assert not FranceConnectIdentity.objects.exists()  # GET changes nothing
    response = client.post(f"/{path}")
    assert response.status_code == 302
    assert logged_in_user(client) == existing
    assert existing.franceconnect_identity.link_method == "courriel"
    assert client.post(f"/{path}").status_code == 400


def test_link_by_email_from_another_browser_does_not_sign_in(
    client, fc, existing, mailoutbox, django_capture_on_commit_callbacks
):
    from django.test import Client

    fc.sign_in()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/franceconnect/lier/", {"action": "email"})
    path = re.search(r"/franceconnect/lier/confirmer/\S+/", mailoutbox[0].body).group(0)
    other = Client()
    response = other.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/"
    assert "_auth_user_id" not in other.session
    assert FranceConnectIdentity.objects.get().user == existing


def test_unknown_email_link(client):
    response = client.get("/franceconnect/lier/confirmer/n-importe-quoi/")
    assert response.status_code == 400
    assert "Ce lien n’est pas valide" in response.content.decode()


def test_existing_account_already_linked_elsewhere(client, fc, existing):
    FranceConnectIdentityFactory(user=existing)
    response = fc.sign_in()
    assert response.status_code == 400
    assert "déjà lié à une autre identité FranceConnect" in response.content.decode()


# --- Linking from a signed-in account, unlinking --------------------------------------


def test_signed_in_account_links_itself(client, fc, provider):
    user = UserFactory(email="autre@example.org")
    client.force_login(user)
    response = client.post("/franceconnect/lier-mon-compte/")
    assert response.status_code == 302
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(response["Location"]).query)
    provider.nonce = query["nonce"][0]
    response = fc.callback(query)
    assert response["Location"] == "/franceconnect/"
    assert user.franceconnect_identity.link_method == "session"
    assert logged_in_user(client) == user


def test_identity_linked_to_another_account_cannot_be_linked_again(client, fc, provider):
    FranceConnectIdentityFactory(sub=provider.sub)
    user = UserFactory()
    client.force_login(user)
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(client.post("/franceconnect/lier-mon-compte/")["Location"]).query)
    provider.nonce = query["nonce"][0]
    response = fc.callback(query)
    assert response.status_code == 400
    assert "déjà liée à un autre compte" in response.content.decode()
    assert logged_in_user(client) == user


def test_manage_page_shows_the_identity(client):
    identity = FranceConnectIdentityFactory(birthdate=datetime.date(1980, 2, 1))
    client.force_login(identity.user)
    html = client.get("/franceconnect/").content.decode()
    assert "Camille" in html and "1 février 1980" in html
    assert "Délier mon compte" in html


def test_manage_page_requires_login(client):
    assert client.get("/franceconnect/")["Location"].startswith("/compte/connexion/")


def test_unlink_an_account_with_a_password(client):
    identity = FranceConnectIdentityFactory()
    client.force_login(identity.user)
    response = client.post("/franceconnect/delier/")
    assert response.status_code == 302
    assert not FranceConnectIdentity.objects.exists()
    assert AuditEvent.objects.filter(event="franceconnect.unlinked").exists()
    assert "Lier mon compte à FranceConnect" in client.get("/franceconnect/").content.decode()


def test_unlink_an_account_created_with_franceconnect_needs_a_password(client):
    identity = FranceConnectIdentityFactory(user__password=False)
    client.force_login(identity.user)
    assert "choisissez un mot de passe" in client.get("/franceconnect/").content.decode()
    response = client.post("/franceconnect/delier/", {})
    assert response.status_code == 400
    assert FranceConnectIdentity.objects.exists()
    response = client.post(
        "/franceconnect/delier/",
        {"new_password1": "Un-Mot2passe-Solide!", "new_password2": "Un-Mot2passe-Solide!"},
    )
    assert response.status_code == 302
    assert not FranceConnectIdentity.objects.exists()
    user = User.objects.get(pk=identity.user.pk)
    assert user.check_password("Un-Mot2passe-Solide!")
    assert logged_in_user(client) == user  # still signed in
