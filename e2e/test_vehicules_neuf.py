"""Browser journey of the new vehicle's registration (issue 18): a
habilitated dealer types the certificate of conformity, the client (a
person, with an e-mail), uploads the certificate, the mandate and the
client's ID, reads the récapitulatif with the malus, pays Y1 + Y3 + Y4 + Y5
with a 3-D Secure card, reads the number allotted and downloads the CPI.
axe-core and the page checks on every page; screenshots at 1280 and 375 px
in var/screenshots/vehicules-neuf/ (or E2E_SHOTS_DIR)."""

import re

import pytest
from playwright.sync_api import expect

from e2e.journeys import SHOTS, sample_pdf, screenshots, upload
from e2e.test_vehicules_journey import pay_with_3ds
from tests.accounts.factories import HabilitationFactory
from titres.procedures.models import Demarche
from titres.vehicules.models import Vehicle
from titres.vehicules.neuf.models import NewRegistration

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

VIN = "VF1RJA00068123456"


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.CLAMAV_URL = ""
    settings.PAYMENT_PROVIDER = "local"


def visit(page, check_a11y, name):
    check_a11y(page)
    screenshots(page, f"neuf-{name}", SHOTS / "vehicules-neuf")


def test_dealer_registers_a_new_vehicle_for_a_client(page, check_a11y, login_as, tmp_path, mailbox):
    habilitation = HabilitationFactory(organisation_name="Concession Stanislas")
    login_as(page, habilitation.user)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/vehicules/professionnel/")
    expect(page.locator("h1")).to_have_text("Espace professionnel de l’automobile")
    page.get_by_label("Type de demande").select_option(label="Immatriculation d’un véhicule neuf")
    visit(page, check_a11y, "0-espace")
    page.get_by_role("button", name="Ajouter une demande").click()

    # 1. The certificate of conformity, its fields named by their letters.
    # A label's text begins with the template's blank lines, so an anchored
    # regex ("^Marque") never matches: substrings of the label instead.
    expect(page.locator(".fr-stepper__title")).to_contain_text("Certificat de conformité")
    page.get_by_label("Numéro d’identification du véhicule").fill(VIN)
    page.get_by_label("Type, variante, version (champ D.2)").fill("rja1e2mt6")
    page.get_by_label("Marque (champ D.1)").fill("Renault")
    page.get_by_label("Dénomination commerciale (champ D.3)").fill("Clio")
    page.get_by_label("Genre national (champ J.1)").select_option("VP")
    page.get_by_label("Énergie (champ P.3)").select_option("ES")
    page.get_by_label("Puissance administrative en CV (champ P.6)").fill("5")
    page.get_by_label("Émissions de CO2 en g/km").fill("130")
    page.get_by_label("Masse en ordre de marche en kg (champ G.1)").fill("1450")
    page.get_by_label("Masse en charge maximale admissible").fill("1700")
    page.get_by_label("Nombre de places assises (champ S.1)").fill("5")
    visit(page, check_a11y, "1-conformite")
    page.get_by_role("button", name="Étape suivante").click()

    # 2. The client, a person with an e-mail address.
    expect(page.locator(".fr-stepper__title")).to_contain_text("Client, futur titulaire")
    page.get_by_label("Une personne physique", exact=True).check(force=True)
    page.get_by_label("Nom de naissance du client").fill("Lefèvre")
    page.get_by_label("Prénoms du client").fill("Claire")
    page.get_by_label("Date de naissance du client").fill("03/04/1985")
    page.get_by_label("Adresse (numéro et voie)").fill("4 place Stanislas")
    page.get_by_label("Code postal", exact=True).fill("54000")
    page.locator("#id_commune").fill("Nancy")
    page.get_by_label("Adresse électronique du client").fill("claire.lefevre@example.org")
    visit(page, check_a11y, "2-client")
    page.get_by_role("button", name="Étape suivante").click()

    # 3. The supporting documents.
    expect(page.locator(".fr-stepper__title")).to_contain_text("Pièces justificatives")
    upload(page, "Certificat de conformité européen du véhicule", sample_pdf(tmp_path, "coc.pdf"))
    upload(page, "Mandat d’immatriculation (cerfa n° 13757)", sample_pdf(tmp_path, "mandat.pdf"))
    upload(page, "Pièce d’identité du client", sample_pdf(tmp_path, "cni-client.pdf"))
    visit(page, check_a11y, "3-pieces")
    page.get_by_role("button", name="Étape suivante").click()

    # 4. The récapitulatif: what was typed, and the taxes with the malus.
    expect(page.get_by_role("heading", name="Conditions légales d’utilisation")).to_be_visible()
    expect(page.locator("main")).to_contain_text(VIN)
    expect(page.locator("main")).to_contain_text("Lefèvre")
    expect(page.locator("#taxes")).to_contain_text("Y3")
    visit(page, check_a11y, "4-recapitulatif")
    for checkbox in page.locator("input[type=checkbox]").all():
        checkbox.check(force=True)
    page.get_by_role("button", name="Valider").click()

    # 5. The payment by card, 3-D Secure.
    expect(page.locator(".fr-stepper__title")).to_contain_text("Paiement des taxes")
    expect(page.locator("main")).to_contain_text("première immatriculation en France")
    visit(page, check_a11y, "5-paiement")
    page.get_by_role("button", name="Valider").click()
    pay_with_3ds(page, check_a11y)
    record_button = page.get_by_role("button", name="Cliquer ici pour enregistrer votre paiement")
    expect(record_button).to_be_visible()
    visit(page, check_a11y, "6-retour-banque")
    record_button.click()

    # 6. Finalisation: the number allotted, then the CPI.
    expect(page.get_by_role("heading", name="Le véhicule est immatriculé")).to_be_visible()
    plate = page.locator("#immatriculation-attribuee").inner_text()
    assert re.fullmatch(r"[A-Z]{2}-\d{3}-[A-Z]{2}", plate), plate
    expect(page.locator("#deposant-titulaire")).to_contain_text("LEFÈVRE Claire")
    expect(page.locator("#deposant-titulaire")).to_contain_text("Concession Stanislas")
    visit(page, check_a11y, "7-finalisation")
    with page.expect_download() as cpi:
        page.get_by_role("link", name=re.compile("Certificat Provisoire d’Immatriculation")).click()
    assert cpi.value.suggested_filename.startswith("cpi-CP")
    with open(cpi.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    number = page.locator("#numero-demarche").inner_text()
    demarche = Demarche.objects.get(number=number.replace("-", ""))
    assert demarche.status == "EN_COURS" and demarche.owner == habilitation.user
    vehicle = Vehicle.objects.get(vin=VIN)
    assert vehicle.plate_display == plate
    assert NewRegistration.objects.get(demarche=demarche).vehicle == vehicle
    mail = mailbox.last_to("claire.lefevre@example.org")
    assert mail is not None and plate in mail.body

    # The file in the dealer's list, with the client's name.
    page.goto("/vehicules/professionnel/")
    row = page.get_by_role("row", name=re.compile(number))
    expect(row).to_contain_text("LEFÈVRE Claire")
    visit(page, check_a11y, "8-liste")
