"""Verify a 2D-Doc on the public page: pasted text, photo of the code, a
forged text, bad input; the published certificates. Screenshots at 1280 px
and 375 px go to var/screenshots/."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from e2e.journeys import screenshots
from titres.core import twoddoc

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def _cession_text():
    return twoddoc.encode(
        "A8",
        {
            "A1": "AB-123-CD",
            "A4": "VF1RFB00X12345678",
            "AA": dt.date(2019, 5, 17),
            "AN": 48213,
            "C1": "Lévêque",
            "C2": "Jean-François",
            "C3": dt.datetime(2026, 11, 30, 9, 45),
            "C4": dt.date(2026, 11, 30),
            "C6": "Dubois",
            "C7": "Hélène",
            "C8": "12 rue de l'Église",
            "C9": "69003",
            "CA": "Lyon",
            "CB": 4567,
            "CC": dt.datetime(2026, 11, 30, 10, 2),
        },
    )


def _shots(page, name):
    screenshots(page, f"twoddoc-{name}")
    page.set_viewport_size({"width": 375, "height": 800})
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})


def test_verify_pasted_text_photo_and_forgery(page, check_a11y, tmp_path):
    text = _cession_text()
    page.goto("/2d-doc/verifier/")
    expect(page.locator("h1")).to_have_text("Vérifier un 2D-Doc")
    check_a11y(page)
    _shots(page, "form")

    # Nothing given: the French message, nothing lost.
    page.get_by_role("button", name="Vérifier").click()
    expect(
        page.locator("#error-summary").get_by_text(
            "Collez le texte du 2D-Doc ou joignez une photo du code."
        )
    ).to_be_visible()
    check_a11y(page)

    page.get_by_label("Texte du 2D-Doc").fill(twoddoc.visible(text))
    page.get_by_role("button", name="Vérifier").click()
    result = page.locator("#resultat")
    expect(result.get_by_role("heading", name="Authentique")).to_be_visible()
    expect(result).to_contain_text("A8 — Certificat de cession électronique")
    table = page.locator("#champs")
    expect(
        table.get_by_role("row", name="Nom patronymique de l’acheteur (C6) DUBOIS")
    ).to_be_visible()
    expect(
        table.get_by_role("row", name="Date et heure de la cession (C3) 30/11/2026 09:45")
    ).to_be_visible()
    check_a11y(page)
    _shots(page, "authentique")

    # A photo of the code.
    photo = tmp_path / "code.png"
    photo.write_bytes(twoddoc.datamatrix.png(text))
    page.get_by_label("Texte du 2D-Doc").fill("")
    page.get_by_label("Ou une photo ou un scan du code").set_input_files(str(photo))
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator("#resultat").get_by_role("heading", name="Authentique")).to_be_visible()

    # One character changed: refused, and no field shown.
    page.get_by_label("Ou une photo ou un scan du code").set_input_files([])
    page.get_by_label("Texte du 2D-Doc").fill(twoddoc.visible(text.replace("C6DUBOIS", "C6DUBOIT")))
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator("#resultat").get_by_role("heading", name="Non authentique")).to_be_visible()
    expect(page.get_by_text("Signature invalide : le contenu a été modifié")).to_be_visible()
    expect(page.locator("#champs")).to_have_count(0)
    check_a11y(page)
    _shots(page, "signature-invalide")


def test_published_certificates(page, check_a11y):
    page.goto("/2d-doc/certificats/")
    expect(page.locator("h1")).to_have_text("Certificats 2D-Doc du portail")
    expect(page.locator("#certificats")).to_contain_text("TD01")
    check_a11y(page)
    _shots(page, "certificats")
    response = page.request.get("/2d-doc/certificats.pem")
    assert response.ok and b"BEGIN CERTIFICATE" in response.body()
