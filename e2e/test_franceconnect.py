"""Browser journey: sign in with FranceConnect through the local identity
provider, land on the dashboard, log out of both."""

import re

import pytest
from playwright.sync_api import expect

from titres.devidp.demo import load as load_devidp
from titres.franceconnect.models import FranceConnectIdentity

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_sign_in_with_franceconnect_and_log_out_of_both(page, check_a11y):
    load_devidp()
    page.goto("/compte/connexion/")
    check_a11y(page)
    expect(page.get_by_role("link", name="Qu’est-ce que FranceConnect ?")).to_be_visible()
    page.get_by_role("button", name="S’identifier avec FranceConnect").click()

    # The local provider's picker (a public page of the provider).
    expect(page).to_have_url(re.compile(r"/devidp/o/authorize/\?"))
    expect(page.locator("h1")).to_contain_text("Fournisseur d’identité local")
    check_a11y(page)
    page.get_by_text("Marie MARTIN (LEFEBVRE)").click()
    page.get_by_role("button", name="Se connecter avec cette identité").click()

    expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))
    expect(page.locator("h1")).to_contain_text("Bienvenue Marie MARTIN")
    check_a11y(page)
    identity = FranceConnectIdentity.objects.get()
    assert identity.preferred_username == "MARTIN"
    assert identity.family_name == "LEFEBVRE"

    page.goto("/franceconnect/")
    expect(page.get_by_role("cell", name="LEFEBVRE")).to_be_visible()
    check_a11y(page)

    # A link (GET) to the FranceConnect logout changes nothing: POST only.
    response = page.request.get("/franceconnect/deconnexion/")
    assert response.status == 405
    page.goto("/tableau-de-bord/")
    expect(page.locator("h1")).to_contain_text("Bienvenue Marie MARTIN")

    # The header button posts to the portal's logout, which hands over to the
    # FranceConnect logout with a 307 (same POST, same CSRF token).

    page.get_by_role("button", name="Se déconnecter").first.click()
    expect(page).to_have_url(re.compile(r"/franceconnect/deconnexion/fin/\?state="))
    expect(page.locator("h1")).to_contain_text("Vous êtes déconnecté")
    expect(page.get_by_text("session FranceConnect sont terminées")).to_be_visible()
    check_a11y(page)
    page.goto("/tableau-de-bord/")
    expect(page).to_have_url(re.compile(r"/compte/connexion/"))


def test_cancel_at_the_provider_shows_a_clear_error(page, check_a11y):
    load_devidp()
    page.goto("/franceconnect/connexion/")
    check_a11y(page)
    page.get_by_role("button", name="S’identifier avec FranceConnect").click()
    page.get_by_role("button", name="Annuler et revenir au service").click()
    expect(page.locator("h1")).to_contain_text("Connexion avec FranceConnect impossible")
    expect(page.get_by_role("alert")).to_contain_text("n’a pas pu vous identifier")
    check_a11y(page)
