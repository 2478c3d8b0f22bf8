"""Buy a stamp with the 3-D Secure test card, receive it by e-mail, check it.

The local bank notifies the portal over real HTTP (SITE_URL is the live
server). Using the stamp in a procedure is added with the licence wizard."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

EMAIL = "acheteuse.e2e@exemple.fr"
CARD_3DS = "4970 1000 0000 0022"


def messages_to(mailbox, address):
    # JSON "contains" lookups are not available on SQLite: filter in Python.
    return [m for m in mailbox.all() if address in m.to]


def test_buy_stamp_with_3ds_card_receive_it_and_check_it(page, check_a11y, mailbox):
    page.goto("/timbres/")
    expect(page.locator("h1")).to_have_text("Acheter un timbre fiscal électronique")
    check_a11y(page)
    page.get_by_text("Permis de conduire après perte ou vol — 25,00").click()
    page.get_by_label("Adresse e-mail à laquelle envoyer le timbre").fill(EMAIL)
    page.get_by_role("button", name="Payer par carte bancaire").click()

    # The bank's hosted page: merchant id, reference, amount (seed 002).
    expect(page.locator("h1")).to_have_text("Paiement sécurisé")
    expect(page.locator("#transaction")).to_contain_text("032060919912121")
    expect(page.locator("#transaction")).to_contain_text("25,00")
    expect(page.get_by_role("button", name="Annulation — retour à la boutique")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Numéro de carte").fill(CARD_3DS)
    page.get_by_label("Expire fin : mois").select_option("12")
    page.get_by_label("Expire fin : année").select_option(str(timezone.localdate().year + 1))
    page.get_by_label("Numéro de contrôle au dos de la carte").fill("123")
    page.get_by_role("button", name="Valider").click()

    # 3-D Secure challenge (the code is shown in development mode).
    expect(page.locator("h1")).to_have_text("Authentification de votre paiement")
    check_a11y(page)
    code = page.locator("#code-3ds").inner_text()
    page.get_by_label("Code de confirmation").fill(code)
    page.get_by_role("button", name="Confirmer").click()

    # Back at the shop: the notification already settled the payment.
    expect(page.locator("h1")).to_have_text("Résultat de votre paiement")
    expect(page.get_by_text("Paiement accepté : votre timbre est prêt")).to_be_visible()
    check_a11y(page)
    number = page.locator("#numero-timbre").get_attribute("data-numero")
    assert re.fullmatch(r"\d{16}", number)
    expect(page.get_by_role("link", name="Télécharger le timbre (PDF)")).to_be_visible()

    # The result came by the server-to-server notification over HTTP.
    from titres.core.models import AuditEvent

    accepted = AuditEvent.objects.get(event="paiements.payment_accepted")
    assert accepted.ip_address == "127.0.0.1"

    # The dev mailbox holds the stamp, PDF attached.
    mails = messages_to(mailbox, EMAIL)
    assert len(mails) == 1
    assert number in mails[0].subject
    assert f'filename="timbre-{number}.pdf"' in mails[0].raw

    # Anyone with the number can check it.
    page.goto("/timbres/verifier/")
    check_a11y(page)
    page.get_by_label("Numéro du timbre").fill(number)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator("#etat-timbre")).to_contain_text("Disponible")
    expect(page.locator("#etat-timbre")).to_contain_text("25,00")
    check_a11y(page)


def test_refund_page_is_accessible(page, check_a11y):
    page.goto("/timbres/rembourser/")
    expect(page.locator("h1")).to_have_text("Demander le remboursement d’un timbre")
    check_a11y(page)
