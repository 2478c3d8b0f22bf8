"""The licence wizard used as a person does (issue 14): with the keyboard
only (Enter in a text field moves forward, never back), with errors
announced (focus on the error summary, "Erreur :" in the title), going
back without losing what was typed, and filling only the fields that are
not marked "(Optionnel)" — the server must then accept every step."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

EMAIL = "jeanne.clavier@example.fr"


@pytest.fixture(autouse=True)
def _setup(settings):
    from titres.permis.demo import load_authorities

    load_authorities()
    settings.CLAMAV_URL = ""
    settings.PAYMENT_PROVIDER = "local"


def _holder():
    from tests.permis.factories import LicenceRecordFactory, holder_user

    LicenceRecordFactory(neph="745490000015")
    return holder_user(email=EMAIL)


def _expect_step(page, number):
    expect(page.locator(".fr-stepper__state")).to_have_text(f"Étape {number} sur 8")


# Empties every field whose label says "(Optionnel)": what is left is what
# the page says is required.
CLEAR_OPTIONAL = """() => {
  let cleared = 0;
  for (const label of document.querySelectorAll("main label, main legend")) {
    if (!/\\(Optionnel\\)/.test(label.textContent)) continue;
    const targets = label.tagName === "LEGEND"
      ? label.closest("fieldset").querySelectorAll("input, select, textarea")
      : [document.getElementById(label.htmlFor)].filter(Boolean);
    for (const el of targets) {
      if (el.type === "radio" || el.type === "checkbox") el.checked = false;
      else el.value = "";
      cleared += 1;
    }
  }
  return cleared;
}"""


def _only_required_then_enter(page, field_label):
    """Clear the optional fields, then press Enter in `field_label`."""
    page.evaluate(CLEAR_OPTIONAL)
    page.get_by_label(field_label, exact=True).press("Enter")


def _expect_error_summary_focused(page):
    summary = page.locator("[data-error-summary]").first
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Erreur : "))


def test_keyboard_journey_only_required_fields(page, login_as, check_a11y):
    login_as(page, _holder())
    page.goto("/demarches/nouvelle/permis/")
    page.get_by_role(
        "button", name="Commencer — Permis de conduire : demande de renouvellement"
    ).click()

    # Step 1: the motif's sentence is shown under the choice (seed 002).
    _expect_step(page, 1)
    page.get_by_text("Vol du titre", exact=True).click()
    expect(
        page.get_by_text("La demande du titre est effectuée à la suite du vol du précédent titre.")
    ).to_be_visible()
    check_a11y(page)
    # Enter on the chosen radio button sends the form forward.
    page.get_by_label("Vol du titre").press("Enter")

    # Step 2: Enter with the form incomplete stays here, errors announced,
    # typed data kept.
    _expect_step(page, 2)
    check_a11y(page)
    page.get_by_label("Nom de naissance").fill("Dupont")
    page.get_by_label("Nom de naissance").press("Enter")
    _expect_step(page, 2)
    _expect_error_summary_focused(page)
    expect(page.get_by_label("Nom de naissance")).to_have_value("Dupont")
    check_a11y(page)
    # The summary's links lead to the fields.
    page.locator("[data-error-summary] a", has_text="Prénoms").click()
    expect(page.get_by_label("1er prénom")).to_be_focused()

    page.get_by_text("Femme", exact=True).click()
    page.get_by_label("1er prénom").fill("Jeanne")
    page.get_by_label("Date de naissance").fill("01/01/1956")
    page.get_by_text("En France", exact=True).click()
    page.get_by_label("Commune de naissance").fill("Nancy")
    page.get_by_label("Département de naissance").select_option("54")
    _only_required_then_enter(page, "Commune de naissance")

    # Step 3: start typing, go back: nothing typed is lost either way.
    _expect_step(page, 3)
    check_a11y(page)
    page.get_by_label("Nom de la voie").fill("du Pas")
    page.get_by_role("button", name="Étape précédente").click()
    _expect_step(page, 2)
    expect(page.get_by_label("Nom de naissance")).to_have_value("DUPONT")
    page.get_by_role("button", name="Étape suivante").click()
    _expect_step(page, 3)
    expect(page.get_by_label("Nom de la voie")).to_have_value("du Pas")
    # The commune follows the postal code, said in a live region; a commune
    # of an earlier postal code is replaced, never kept stale.
    page.get_by_label("Code postal", exact=True).fill("75001")
    expect(page.locator("#id_commune")).to_have_value("Paris")
    status = page.locator("#id_code_postal-communes-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("Commune remplie d’après le code postal : Paris.")
    page.get_by_label("Code postal", exact=True).fill("54000")
    expect(page.locator("#id_commune")).to_have_value("Nancy")
    expect(status).to_have_text("Commune remplie d’après le code postal : Nancy.")
    page.locator("label[for=id_consentement_information_1]").click()
    _only_required_then_enter(page, "Nom de la voie")

    # Step 4: the seed's paths (eService code, later, paper slip); no code
    # yet (the 15-day grace): the code is then optional, and says so.
    _expect_step(page, 4)
    check_a11y(page)
    expect(page.get_by_role("link", name="Imprimer le talon photo-signature (PDF)")).to_be_hidden()
    page.get_by_text("Je n’ai pas de code : j’imprime le talon", exact=False).click()
    expect(page.get_by_role("link", name="Imprimer le talon photo-signature (PDF)")).to_be_visible()
    page.get_by_text("Je n’ai pas encore de code", exact=False).click()
    expect(page.locator("label[for=id_code_ephoto]")).to_contain_text("(Optionnel)")
    page.evaluate(CLEAR_OPTIONAL)
    page.get_by_role("button", name="Étape suivante").click()
    _expect_step(page, 5)


def test_errors_are_announced_on_the_login_form(page, check_a11y):
    page.goto("/compte/connexion/")
    page.get_by_label("Identifiant").fill("personne")
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_label("Mot de passe").press("Enter")
    _expect_error_summary_focused(page)
    # The error is tied to the fields it concerns.
    described = page.get_by_label("Mot de passe").get_attribute("aria-describedby") or ""
    error_ids = described.split()
    assert error_ids, "the password field is not tied to the error"
    expect(page.locator(f"#{error_ids[-1]}")).to_contain_text("incorrect")
    check_a11y(page)


def test_session_expiry_warns_then_keeps_what_was_typed(page, login_as, check_a11y, settings):
    # A short session so the journey does not wait 30 minutes: warned a
    # quarter of the way before the end, sent to the login page after it.
    settings.SESSION_COOKIE_AGE = 20
    user = _holder()
    login_as(page, user)
    page.goto("/demarches/nouvelle/permis/")
    page.get_by_role(
        "button", name="Commencer — Permis de conduire : demande de renouvellement"
    ).click()
    page.get_by_text("Vol du titre", exact=True).click()
    page.get_by_role("button", name="Étape suivante").click()
    _expect_step(page, 2)
    step_url = page.url

    # The warning comes with a way to extend the session.
    warning = page.get_by_role("alertdialog", name="Votre session va bientôt expirer")
    expect(warning).to_be_visible(timeout=25000)
    expect(page.get_by_role("button", name="Rester connecté(e)")).to_be_focused()
    check_a11y(page)
    page.get_by_role("button", name="Rester connecté(e)").click()
    expect(warning).to_be_hidden()

    # Nobody answers the second time: what was typed is kept, the login page says why.
    page.get_by_label("Nom de naissance").fill("Dupont")
    page.get_by_label("1er prénom").fill("Jeanne")
    expect(page).to_have_url(re.compile(r"/compte/connexion/\?session=expiree"), timeout=45000)
    expect(page.get_by_role("heading", name="Votre session a expiré")).to_be_visible()
    check_a11y(page)

    settings.SESSION_COOKIE_AGE = 30 * 60
    login_as(page, user)
    page.goto(step_url)
    expect(page.get_by_label("Nom de naissance")).to_have_value("Dupont")
    expect(page.get_by_label("1er prénom")).to_have_value("Jeanne")
    expect(page.get_by_text("ce que vous aviez saisi sur cette page a été repris")).to_be_visible()
