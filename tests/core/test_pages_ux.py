"""Issue 14 on every page: the accessibility statement and its footer link,
the agents' entrance, the session-expiry warning and its keep-alive, errors
tied to the fields of the login form."""

import re

import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_accessibility_statement_is_public_and_linked_from_every_footer(client):
    home = client.get("/").text
    assert f'href="{reverse("core:accessibility")}"' in home
    assert "Accessibilité : non conforme" in home
    page = client.get(reverse("core:accessibility"))
    assert page.status_code == 200
    text = page.text
    # RGAA: conformity status, non-conformities and derogations, contact, remedies.
    for heading in (
        "Déclaration d’accessibilité",
        "État de conformité",
        "Contenus non accessibles",
        "Dérogations pour charge disproportionnée",
        "Retour d’information et contact",
        "Voies de recours",
    ):
        assert heading in text, heading
    # No audit has been done: RGAA then requires "non conforme".
    assert "non conforme avec le référentiel général" in text
    assert "aucun audit de conformité n’a encore été réalisé" in text
    assert "Défenseur des droits" in text
    assert 'aria-current="page"' in text


def test_accessibility_contact_follows_the_setting(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "a11y@prefecture.example"
    page = client.get(reverse("core:accessibility"))
    assert 'href="mailto:a11y@prefecture.example"' in page.text


def test_agents_entrance_is_linked_from_the_footer_and_the_login_page(client):
    agents = reverse("instruction:login")
    assert f'href="{agents}">Espace agents</a>' in client.get("/").text
    login = client.get(reverse("accounts:login")).text
    assert "Vous êtes agent d’une préfecture ou d’un CERT ?" in login
    assert f'href="{agents}"' in login


def test_session_warning_only_for_signed_in_people(client, settings):
    assert 'id="session-warning"' not in client.get("/").text
    client.force_login(UserFactory())
    page = client.get("/tableau-de-bord/")
    assert 'id="session-warning"' in page.text
    # The time left, renewed by this very page (seconds may tick meanwhile on a loaded machine).
    left = int(re.search(r'data-session-age="(\d+)"', page.text).group(1))
    assert settings.SESSION_COOKIE_AGE - 5 <= left <= settings.SESSION_COOKIE_AGE
    assert 'role="alertdialog"' in page.text and "Rester connecté(e)" in page.text


def test_keepalive_renews_the_session(client, settings):
    user = UserFactory()
    client.force_login(user)
    url = reverse("core:session_keepalive")
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    assert response.json() == {"expires_in": settings.SESSION_COOKIE_AGE}
    assert settings.SESSION_COOKIE_NAME in response.cookies  # renewed


def test_keepalive_for_an_ended_session_leads_to_login(client):
    response = client.post(reverse("core:session_keepalive"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_login_page_says_why_after_an_expired_session(client):
    page = client.get(reverse("accounts:login"), {"session": "expiree", "next": "/demarches/"})
    assert "Votre session a expiré" in page.text
    assert "Votre session a expiré" not in client.get(reverse("accounts:login")).text


def test_login_error_is_tied_to_both_fields_and_summarised(client):
    UserFactory(username="camille")
    page = client.post(
        reverse("accounts:login"), {"username": "camille", "password": PASSWORD + "x"}
    )
    assert page.status_code == 200
    text = page.text
    assert re.search(r"<title>\s*Erreur : ", text)
    assert 'id="login-error"' in text and "data-error-summary" in text
    for name in ("username", "password"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', text).group(0)
        assert 'aria-describedby="login-error"' in field, field
        assert 'aria-invalid="true"' in field


def test_nouvelle_demande_is_the_current_page_of_its_own_pages(client):
    client.force_login(UserFactory())
    page = client.get(reverse("procedures:new"))
    current = re.findall(r'<a class="fr-nav__link" href="([^"]+)" ?aria-current="page"', page.text)
    assert current == [reverse("procedures:new")]
    page = client.get(reverse("procedures:list"))
    current = re.findall(r'<a class="fr-nav__link" href="([^"]+)" ?aria-current="page"', page.text)
    assert current == [reverse("procedures:list")]
