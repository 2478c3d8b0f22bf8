"""Browser journeys of the professionals' volume pages (issue 18): the
list with filters and sort, the ZIP of CPIs and accusés with its progress
page, and a 50-line batch with 3 bad lines whose report is read. axe-core
on every page; screenshots at 1280 and 375 px in var/screenshots/."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.test_vehicules_journey import shoot
from tests.accounts.factories import HabilitationFactory
from tests.vehicules.factories import VehicleFactory
from tests.vehicules.pro_factories import client_file
from titres.procedures.enums import Status
from titres.vehicules.professionnels.batch import COLUMNS
from titres.vehicules.professionnels.models import PurchaseProof
from titres.vehicules.professionnels.stock import Establishment, declare_purchase

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.CLAMAV_URL = ""


def visit(page, check_a11y, name):
    check_a11y(page)
    shoot(page, f"pro-{name}")


def test_list_filters_and_bulk_download(page, check_a11y, login_as):
    habilitation = HabilitationFactory(organisation_name="Garage du Centre")
    owner = habilitation.user
    for name in ("LEROY", "FONTAINE", "GARNIER"):
        client_file(owner, last_name=name)
    client_file(owner, last_name="ROUSSEAU", status=Status.BROUILLON)
    # A vehicle bought for resale: a déclaration d'achat, listed with the démarches.
    entry = declare_purchase(
        vehicle=VehicleFactory(plate="FG123HJ"),
        habilitation=habilitation,
        seller_names=("MOREAU", "Jeanne"),
        purchased_at=timezone.now() - timezone.timedelta(hours=2),
        mileage=61000,
        proof=PurchaseProof.CERTIFICAT,
        establishment=Establishment(
            address="12 avenue Jean Jaurès", postal_code="08000", commune="Charleville-Mézières"
        ),
        actor=owner,
        by_batch=True,
    )
    login_as(page, owner)
    page.goto("/vehicules/professionnel/")
    page.get_by_role("link", name="Toutes les démarches : filtrer, exporter, télécharger").click()
    expect(page.locator("h1")).to_have_text("Démarches de mes clients")
    expect(page.locator("#resultats")).to_have_text("5 démarches et déclarations")
    visit(page, check_a11y, "4-liste-filtres")
    page.get_by_label("Nom du client").fill("ler")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#resultats")).to_have_text("1 démarche ou déclaration")
    expect(page.get_by_role("row", name=re.compile("LEROY"))).to_be_visible()
    page.get_by_role("link", name="Effacer les filtres").click()
    page.get_by_label("Démarche").select_option(label="Déclaration d’achat (stock)")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#resultats")).to_have_text("1 démarche ou déclaration")
    row = page.get_by_role("row", name=re.compile(entry.registration_number))
    expect(row).to_contain_text("FG-123-HJ")
    expect(row).to_contain_text("MOREAU Jeanne")
    expect(row).to_contain_text("Achat : véhicule en stock")
    visit(page, check_a11y, "4b-liste-achats")
    with page.expect_download() as accuse:
        row.get_by_role("link", name=re.compile("Accusé d’enregistrement")).click()
    assert accuse.value.suggested_filename == f"accuse-achat-{entry.registration_number}.pdf"
    page.get_by_role("link", name="Effacer les filtres").click()
    page.get_by_role("link", name="Client (titulaire)").click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("Client (titulaire)")
    first = page.locator("tbody tr").first
    expect(first).to_contain_text("FONTAINE")
    with page.expect_download() as export:
        page.get_by_role("link", name="Exporter la sélection (CSV)").click()
    assert export.value.suggested_filename.endswith(".csv")
    page.get_by_role("button", name="Télécharger les CPI et accusés de la sélection (ZIP)").click()
    expect(page.locator("h1")).to_have_text("Téléchargement groupé des CPI et accusés")
    # The tests run tasks immediately: the archive is ready on arrival.
    expect(page.get_by_text("L’archive est prête")).to_be_visible()
    visit(page, check_a11y, "5-telechargement")
    with page.expect_download() as archive:
        page.get_by_role("link", name="Télécharger l’archive").click()
    assert archive.value.suggested_filename.endswith(".zip")


def test_batch_of_fifty_lines_with_three_bad_ones(page, check_a11y, login_as, tmp_path):
    owner = HabilitationFactory(organisation_name="Garage du Centre").user
    day = (timezone.localdate() - timezone.timedelta(days=1)).strftime("%d/%m/%Y")
    lines = []
    for index in range(50):
        vehicle = VehicleFactory()
        formule = vehicle.formule_number
        client_name = "MOREAU"
        plate = vehicle.plate_display
        if index == 10:
            plate = "ZZ-999-ZZ"
        elif index == 20:
            formule = "2019ZZ99999"
        elif index == 30:
            client_name = "DURAND"
        lines.append(
            f"cession;{plate};{formule};;{day};10:30;48250;{client_name};Jeanne;MERCIER;Pierre;"
            "15/01/1990;;;3 place Bellecour;69002;Lyon"
        )
    path = tmp_path / "lot.csv"
    path.write_text(";".join(COLUMNS) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    login_as(page, owner)
    page.goto("/vehicules/professionnel/")
    page.get_by_role("link", name="Dépôt par lot de déclarations (CSV)").click()
    expect(page.locator("h1")).to_have_text("Dépôt par lot de déclarations")
    visit(page, check_a11y, "6-lot-depot")
    page.get_by_label("Fichier CSV des déclarations").set_input_files(str(path))
    page.get_by_role("button", name="Déposer le lot").click()
    expect(page.locator("h1")).to_have_text("Compte rendu du lot")
    expect(page.locator("#bilan")).to_contain_text("47 lignes acceptées, 3 refusées")
    expect(page.get_by_role("row", name=re.compile("ZZ-999-ZZ"))).to_contain_text(
        "Aucun véhicule n’est immatriculé sous le numéro ZZ-999-ZZ"
    )
    visit(page, check_a11y, "7-lot-compte-rendu")
    with page.expect_download() as codes:
        page.get_by_role("button", name="Télécharger les codes de cession (une seule fois)").click()
    assert codes.value.suggested_filename.startswith("codes-cession-")
