"""Sign up as a particulier, activate from the development mailbox, log in,
log out, then recover the identifier and the password."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PASSWORD = "Correct-Cheval-2026!"
NEW_PASSWORD = "Nouveau-Cheval-2026!"
EMAIL = "camille.e2e@exemple.fr"


def open_last_mail(page, check_a11y, subject):
    page.goto("/dev/mailbox/")
    check_a11y(page)
    page.get_by_role("link", name=subject).first.click()
    expect(page.locator("h1")).to_have_text(subject)
    check_a11y(page)
    body = page.locator(".titres-mailbox-body").inner_text()
    return body


def link_in(body, pattern):
    url = re.search(pattern, body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def login(page, check_a11y, username, password):
    page.goto("/compte/connexion/")
    check_a11y(page)
    page.get_by_label("Identifiant", exact=False).first.fill(username)
    page.get_by_label("Mot de passe", exact=False).fill(password)
    page.get_by_role("button", name="Me connecter").click()


def test_signup_activation_login_logout_and_recovery(page, check_a11y, mailbox):
    from titres.accounts.demo import ensure_terms

    ensure_terms()

    # Sign-up form (seed 002).
    page.goto("/compte/inscription/")
    expect(page.locator("h1")).to_have_text("Créer mon compte")
    check_a11y(page)
    form = page.locator("#signup-form")
    form.get_by_label("Profil principal").select_option("particulier")
    # Professional fields are hidden for a particulier.
    expect(form.get_by_label("Numéro SIRET")).to_be_hidden()
    form.get_by_label("Identifiant").fill("camille.e2e")
    form.get_by_label("Prénom").fill("Camille")
    form.get_by_label("Nom", exact=True).fill("Martin")
    form.get_by_label("Adresse e-mail").fill(EMAIL)
    form.get_by_text("Femme", exact=True).click()
    form.get_by_label("Téléphone (n° à 10 chiffres)").fill("06 12 34 56 78")
    form.get_by_label("Mot de passe", exact=False).first.fill(PASSWORD)
    form.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    form.get_by_label("Question secrète", exact=True).select_option("first_pet")
    form.get_by_label("Réponse à votre question secrète").fill("Rex")
    form.get_by_text("J’accepte les conditions générales d’utilisation").click()
    form.get_by_label("Code de sécurité").fill("PASSED")
    form.get_by_role("button", name="Enregistrer").click()

    expect(page.locator("h1")).to_have_text("Activez votre compte")
    expect(page.locator("main")).to_contain_text(EMAIL)
    check_a11y(page)

    # Activation from the development mailbox.
    # (mailbox.last_to uses a JSON "contains" lookup that SQLite lacks.)
    assert [m.subject for m in mailbox.all() if EMAIL in m.to] == ["Activez votre compte Titres"]
    body = open_last_mail(page, check_a11y, "Activez votre compte Titres")
    page.goto(link_in(body, r"https?://\S+/compte/activation/\S+/"))
    expect(page.locator("main")).to_contain_text("Votre compte est activé.")
    check_a11y(page)

    # Log in, see the account, log out.
    login(page, check_a11y, "camille.e2e", PASSWORD)
    expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))
    expect(page.locator("h1")).to_contain_text("Bienvenue Camille Martin")
    check_a11y(page)
    page.goto("/compte/")
    expect(page.locator("main")).to_contain_text("camille.e2e")
    check_a11y(page)
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.locator("main")).to_contain_text("Vous êtes déconnecté.")
    check_a11y(page)

    # Forgotten identifier.
    page.goto("/compte/connexion/")
    page.get_by_role("link", name="Identifiant oublié").click()
    expect(page.locator("h1")).to_have_text("Identifiant oublié")
    check_a11y(page)
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_role("button", name="Recevoir mon identifiant").click()
    expect(page.locator("main")).to_contain_text("Si un compte correspond à cette adresse")
    check_a11y(page)
    body = open_last_mail(page, check_a11y, "Votre identifiant Titres")
    assert "camille.e2e" in body

    # Forgotten password.
    page.goto("/compte/connexion/")
    page.get_by_role("link", name="Mot de passe oublié").click()
    expect(page.locator("h1")).to_have_text("Mot de passe oublié")
    check_a11y(page)
    page.get_by_label("Identifiant ou adresse e-mail").fill("camille.e2e")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.locator("main")).to_contain_text("Si un compte correspond à ces informations")
    body = open_last_mail(page, check_a11y, "Choisissez un nouveau mot de passe")
    reset_path = link_in(body, r"https?://\S+/compte/mot-de-passe-oublie/\S+/\S+/")
    page.goto(reset_path)
    expect(page.locator("h1")).to_have_text("Choisissez un nouveau mot de passe")
    check_a11y(page)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.locator("main")).to_contain_text("Votre mot de passe est enregistré.")
    check_a11y(page)
    # The link served once.
    page.goto(reset_path)
    expect(page.locator("h1")).to_have_text("Lien non valide")
    check_a11y(page)

    login(page, check_a11y, "camille.e2e", NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))
    check_a11y(page)
