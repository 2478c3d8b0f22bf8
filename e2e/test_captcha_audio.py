"""Sign up with the spoken CAPTCHA, by keyboard only: the switch button, the
audio player and the answer field are reached with Tab, and the audio file
is real French speech from espeak-ng (skipped without it)."""

import re
import shutil

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.e2e,
    pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng absent"),
]

PASSWORD = "Correct-Cheval-2026!"


@pytest.fixture(autouse=True)
def _fresh_limits():
    from titres.core import ratelimit

    ratelimit.reset()
    yield
    ratelimit.reset()


def fill_signup(form):
    form.get_by_label("Profil principal").select_option("particulier")
    form.get_by_label("Identifiant").fill("dominique.audio")
    form.get_by_label("Prénom").fill("Dominique")
    form.get_by_label("Nom", exact=True).fill("Bernard")
    form.get_by_label("Adresse e-mail").fill("dominique.audio@exemple.fr")
    form.get_by_text("Homme", exact=True).click()
    form.get_by_label("Téléphone (n° à 10 chiffres)").fill("06 12 34 56 78")
    form.get_by_label("Question secrète", exact=True).select_option("first_pet")
    form.get_by_label("Réponse à votre question secrète").fill("Rex")


def test_signup_with_the_spoken_code_by_keyboard(page, check_a11y):
    from captcha.models import CaptchaStore

    from titres.accounts.demo import ensure_terms
    from titres.accounts.models import User

    ensure_terms()
    page.goto("/compte/inscription/")
    check_a11y(page)
    form = page.locator("#signup-form")
    fill_signup(form)
    switch = form.get_by_role("button", name="Écouter un code à la place de l’image")
    switch.focus()
    page.keyboard.press("Enter")

    expect(page.locator("audio.titres-captcha__audio")).to_be_visible()
    expect(page.locator("img.titres-captcha__image")).to_have_count(0)
    # Typed values are kept across the switch.
    expect(form.get_by_label("Identifiant")).to_have_value("dominique.audio")
    check_a11y(page)

    source = page.locator("audio.titres-captcha__audio").get_attribute("src")
    key = re.search(r"/captcha/audio/(\w+)\.wav", source).group(1)
    audio = page.request.get(source)
    assert audio.status == 200
    assert audio.headers["content-type"] == "audio/wav"
    assert audio.body()[:4] == b"RIFF" and len(audio.body()) > 50_000
    digits = CaptchaStore.objects.get(hashkey=key).response
    assert digits not in page.content().replace(key, "")

    # Keyboard: from the switch button's place, Tab goes through the player's
    # own controls, then the download link, then the answer field.
    page.locator("audio.titres-captcha__audio").focus()
    download = page.get_by_role("link", name=re.compile("Télécharger le code à écouter"))
    for _ in range(10):
        page.keyboard.press("Tab")
        if download.evaluate("element => element === document.activeElement"):
            break
    expect(download).to_be_focused()
    page.keyboard.press("Tab")
    expect(form.get_by_label("Code de sécurité")).to_be_focused()
    page.keyboard.type(digits)

    form.get_by_label("Mot de passe", exact=False).first.fill(PASSWORD)
    form.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    form.get_by_text("J’accepte les conditions générales d’utilisation").click()
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("h1")).to_have_text("Activez votre compte")
    assert User.objects.filter(username="dominique.audio").exists()


def test_wrong_spoken_code_is_announced_in_the_error_summary(page, check_a11y):
    from titres.accounts.demo import ensure_terms

    ensure_terms()
    page.goto("/compte/inscription/?captcha=audio")
    expect(page.locator("audio.titres-captcha__audio")).to_be_visible()
    form = page.locator("#signup-form")
    fill_signup(form)
    form.get_by_label("Mot de passe", exact=False).first.fill(PASSWORD)
    form.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    form.get_by_text("J’accepte les conditions générales d’utilisation").click()
    form.get_by_label("Code de sécurité").fill("000000x")
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main")).to_contain_text(
        "Le code de sécurité saisi est incorrect. Veuillez recommencer."
    )
    # Still the spoken challenge (a new one), not the image.
    expect(page.locator("audio.titres-captcha__audio")).to_be_visible()
    check_a11y(page)
