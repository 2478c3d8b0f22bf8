"""An anonymous visitor gets the certificat de situation administrative of
a vehicle (plate + numéro de formule), downloads the PDF, and its 2D-Doc
(the PDF's page rendered to an image, as a phone would photograph it)
reads "Authentique" on the portal's verification page. A wrong formule
number first: the French message, nothing about the vehicle."""

import re

import pypdfium2
import pytest
from playwright.sync_api import expect

from tests.vehicules.factories import VehicleFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_anonymous_certificate_of_situation_verifies(page, check_a11y, tmp_path):
    vehicle = VehicleFactory(gage=True)
    page.goto("/vehicules/situation/")
    expect(page.locator("h1")).to_have_text("Obtenir un certificat de situation administrative")
    check_a11y(page)

    page.get_by_label("Numéro d’immatriculation").fill(vehicle.plate_display)
    page.get_by_label("Numéro de formule").fill("2019ZZ99999")
    page.get_by_role("button", name="Obtenir le certificat").click()
    expect(page.locator("#error-summary")).to_contain_text(
        "Le numéro de formule ne correspond pas au certificat d’immatriculation de ce véhicule"
    )
    expect(page.get_by_text(vehicle.make)).to_have_count(0)
    check_a11y(page)

    page.get_by_label("Numéro de formule").fill(vehicle.formule_number)
    page.get_by_role("button", name="Obtenir le certificat").click()
    expect(page.locator("h1")).to_have_text(
        f"Situation administrative du véhicule {vehicle.plate_display}"
    )
    expect(page.locator("#situation-resume")).to_contain_text(
        "Des inscriptions concernent ce véhicule"
    )
    expect(page.get_by_role("row", name="Gage Oui")).to_be_visible()
    check_a11y(page)

    with page.expect_download() as download_info:
        page.locator("#telecharger-certificat").click()
    pdf_path = tmp_path / "certificat.pdf"
    download_info.value.save_as(pdf_path)
    image = pypdfium2.PdfDocument(pdf_path)[0].render(scale=2).to_pil()
    photo = tmp_path / "photo.png"
    image.save(photo)

    page.get_by_role("link", name="Vérifier un 2D-Doc").click()
    expect(page.locator("h1")).to_have_text("Vérifier un 2D-Doc")
    page.get_by_label("Ou une photo ou un scan du code").set_input_files(str(photo))
    page.get_by_role("button", name="Vérifier").click()
    result = page.locator("#resultat")
    expect(result.get_by_role("heading", name="Authentique")).to_be_visible()
    expect(result).to_contain_text("Z2 — Certificat de situation administrative d’un véhicule")
    expect(
        page.locator("#champs").get_by_role(
            "row", name="Inscriptions au fichier du véhicule (ZA) GAGE"
        )
    ).to_be_visible()
    check_a11y(page)


def test_an_annulled_registration_is_certified_as_annulled(page, check_a11y):
    """A dealer's new vehicle whose registration was annulled: the page says
    « Immatriculation annulée » first, never « Aucune inscription »."""
    from e2e.journeys import screenshots
    from titres.vehicules.enums import RegistryEventKind
    from titres.vehicules.services.registry import add_entry
    from titres.vehicules.services.reverts import cancel_first_registration

    vehicle = VehicleFactory()
    add_entry(
        vehicle,
        kind=RegistryEventKind.IMMATRICULATION,
        label="Immatriculation",
        actor=None,
        demarche_number="N1",
    )
    cancel_first_registration(vehicle=vehicle, demarche_number="N1", actor=None)
    page.goto("/vehicules/situation/")
    page.get_by_label("Numéro d’immatriculation").fill(vehicle.plate_display)
    page.get_by_label("Numéro de formule").fill(vehicle.formule_number)
    page.get_by_role("button", name="Obtenir le certificat").click()
    expect(page.locator("#situation-resume")).to_contain_text("Immatriculation annulée")
    expect(page.locator("#situation-resume")).to_contain_text(
        "ce numéro n’est pas une immatriculation valable"
    )
    expect(page.get_by_role("row", name=re.compile("Immatriculation annulée Oui"))).to_be_visible()
    expect(page.get_by_text("Aucune inscription ne s’oppose")).to_have_count(0)
    check_a11y(page)
    screenshots(page, "vehicules-situation-annulee")
