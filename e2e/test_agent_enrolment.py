"""An agent's first enrolment: the password alone shows no QR code; the
e-mailed link (opened from the development mailbox) unlocks it; the
activation code refusal is announced."""

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PASSWORD = "Agent-Titres-2026!"


@pytest.fixture(autouse=True)
def _fresh_limits():
    from titres.core import ratelimit

    ratelimit.reset()
    yield
    ratelimit.reset()


def _new_agent():
    from tests.instruction.factories import AgentMembershipFactory, AuthorityFactory, UserFactory

    user = AgentMembershipFactory(
        authority=AuthorityFactory(code="543"),
        user=UserFactory(username="agent.enrole", email="agent.enrole@prefecture.fr"),
    ).user
    user.set_password(PASSWORD)
    user.save()
    return user


def _password_step(page):
    page.goto("/agent/connexion/")
    page.get_by_label("Identifiant").fill("agent.enrole")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_enrolment_needs_the_mailed_link(
    page, check_a11y, mailbox, django_capture_on_commit_callbacks
):
    from titres.instruction import enrolment

    user = _new_agent()
    _password_step(page)
    expect(page.locator("h1")).to_have_text("Enregistrer votre application d’authentification")
    expect(page.locator("img.titres-qr")).to_have_count(0)
    check_a11y(page)

    # A wrong activation code, by keyboard.
    field = page.get_by_label("Code d’activation")
    field.focus()
    page.keyboard.type("AAAA-AAAA-AAAA")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text(
        "Code d’activation incorrect. Vérifiez-le ou demandez un nouveau code à votre opérateur."
    )
    check_a11y(page)

    with django_capture_on_commit_callbacks(execute=True):
        enrolment.issue_link(user=user, actor=None)
    body = next(m for m in mailbox.all() if "agent.enrole@prefecture.fr" in m.to).body
    link = re.search(r"https?://[^/\s]+(/agent/securite/enrolement/lien/\S+/)", body).group(1)
    page.goto(link)
    expect(page.locator("img.titres-qr")).to_be_visible()
    check_a11y(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code à usage unique").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("main")).to_contain_text(
        "Votre application d’authentification est enregistrée."
    )

    # The same link again: refused, with the reason.
    page.goto(link)
    expect(page.locator("main")).to_contain_text(
        "Votre application d’authentification est déjà enregistrée"
    )


def test_used_link_refusal_page(page, check_a11y, django_capture_on_commit_callbacks):
    from django.test import Client

    from titres.instruction import enrolment
    from titres.instruction.models import OtpEnrolment

    user = _new_agent()
    code = enrolment.issue_code(user=user, actor=None)
    Client().post("/agent/connexion/", {"username": "agent.enrole", "password": PASSWORD})
    OtpEnrolment.objects.update(used_at=OtpEnrolment.objects.get().created_at)
    _password_step(page)
    page.get_by_label("Code d’activation").fill(code)
    page.get_by_role("button", name="Valider le code d’activation").click()
    expect(page.locator("main")).to_contain_text(
        "Ce code d’activation a déjà été utilisé : chaque code ne sert qu’une fois."
    )
    check_a11y(page)
