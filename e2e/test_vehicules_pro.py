"""Browser journey of the professionals' space (issue 18): a habilitated
garage files a change of holder for a client under mandate (mandate and
client's ID uploaded), pays the taxes, downloads the CPI, and finds the file
in its list with the client's name. axe-core on every page; screenshots at
1280 and 375 px in var/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from e2e.journeys import sample_pdf, upload
from e2e.pagecheck import cells_cut
from e2e.test_vehicules_journey import fill_holder_and_pay, shoot
from tests.accounts.factories import HabilitationFactory
from tests.vehicules.factories import VehicleFactory, declared
from titres.procedures.models import Demarche

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.CLAMAV_URL = ""
    settings.PAYMENT_PROVIDER = "local"


def visit(page, check_a11y, name):
    check_a11y(page)
    shoot(page, f"pro-{name}")


def test_garage_files_for_a_client_under_mandate(page, check_a11y, login_as, tmp_path, mailbox):
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle)
    habilitation = HabilitationFactory(organisation_name="Garage du Centre")
    login_as(page, habilitation.user)

    page.goto("/vehicules/professionnel/")
    expect(page.locator("h1")).to_have_text("Espace professionnel de l’automobile")
    expect(page.get_by_text(habilitation.number)).to_be_visible()
    visit(page, check_a11y, "0-espace")
    page.get_by_label("Type de demande").select_option(
        label="J’achète ou je reçois un véhicule d’occasion"
    )
    page.get_by_role("button", name="Ajouter une demande").click()

    expect(page.get_by_text("Étape 1 sur")).to_be_visible()
    page.get_by_label("Pour un client, sous mandat (cerfa n° 13757)").check(force=True)
    page.get_by_label("Nom de naissance du client").fill("Mercier")
    page.get_by_label("Prénoms du client").fill("Pierre")
    page.get_by_label("Date de naissance du client").fill("15/01/1990")
    page.get_by_label("Adresse e-mail du client").fill("pierre.mercier@example.org")
    page.get_by_label("Numéro d’immatriculation").fill("FG-123-HJ")
    page.get_by_label("Oui", exact=True).check(force=True)
    page.locator("#id_code_cession").fill(sold.code_display)
    visit(page, check_a11y, "1-pour-commencer")
    page.get_by_role("button", name="Démarrer la procédure").click()

    expect(page.locator(".fr-stepper__title")).to_contain_text(
        "Mandat et pièce d’identité du client"
    )
    upload(page, "Mandat d’immatriculation (cerfa n° 13757)", sample_pdf(tmp_path, "mandat.pdf"))
    upload(page, "Pièce d’identité du client", sample_pdf(tmp_path, "cni-client.pdf"))
    visit(page, check_a11y, "2-mandat")
    page.get_by_role("button", name="Étape suivante").click()

    # The client's identity typed once: shown, not editable.
    expect(page.locator("#id_nom_naissance")).to_be_disabled()
    expect(page.locator("#id_nom_naissance")).to_have_value("Mercier")
    page.get_by_label("Homme", exact=True).check(force=True)
    number = fill_holder_and_pay(page, check_a11y, "pro")
    expect(page.locator("#deposant-titulaire")).to_contain_text("MERCIER Pierre")
    expect(page.locator("#deposant-titulaire")).to_contain_text("Garage du Centre (mandataire")

    demarche = Demarche.objects.get(number=number.replace("-", ""))
    assert demarche.status == "EN_COURS" and demarche.owner == habilitation.user
    assert demarche.acting_for["qualite"] == "professionnel_mandataire"
    mail = mailbox.last_to("pierre.mercier@example.org")
    assert mail is not None and number in mail.body

    page.goto("/vehicules/professionnel/")
    row = page.get_by_role("row", name=re.compile(number))
    expect(row).to_contain_text("MERCIER Pierre")
    expect(row).to_contain_text("FG-123-HJ")
    visit(page, check_a11y, "3-liste")
    # The recent files read whole at 375 px (one block per file), not cut
    # by a horizontal scroll box; a row per file at 1280 px.
    table = "#dernieres-demarches table"
    assert cells_cut(page, table) == []
    page.set_viewport_size({"width": 375, "height": 900})
    try:
        assert cells_cut(page, table) == []
        # Each value under its column's label (the cell's ::before).
        label = row.locator("td").nth(3).evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"Client (titulaire)"'
        assert page.locator(table).evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_garage_changes_a_company_clients_address(page, check_a11y, login_as, tmp_path):
    """The address change under mandate for a company client: raison
    sociale and SIRET (checked against the registry's titulaire), the
    K-bis, then the company as holder and the garage as filer."""
    from tests.vehicules.factories import HolderFactory
    from titres.vehicules.enums import PersonKind

    vehicle = VehicleFactory(holder=False)
    HolderFactory(
        vehicle=vehicle,
        since=vehicle.ci_date,
        person_kind=PersonKind.MORALE,
        company_name="Transports Martin",
        siret="73282932000074",
        last_name="",
        first_names="",
        birth_date=None,
    )
    habilitation = HabilitationFactory(organisation_name="Garage du Centre")
    login_as(page, habilitation.user)
    page.goto("/vehicules/professionnel/")
    page.get_by_label("Type de demande").select_option(label="Je change d’adresse")
    page.get_by_role("button", name="Ajouter une demande").click()

    expect(page.get_by_text("Étape 1 sur")).to_be_visible()
    page.get_by_label("Pour un client, sous mandat (cerfa n° 13757)").check(force=True)
    page.get_by_label("Une société (numéro SIRET)").check(force=True)
    page.get_by_label("Raison sociale du client").fill("Transports Martin")
    page.get_by_label("Numéro SIRET du client").fill("356 000 000 00048")  # not the holder
    page.get_by_label("Numéro d’immatriculation").fill(vehicle.plate_display)
    page.get_by_label("Numéro de formule").fill(vehicle.formule_number)
    page.get_by_role("button", name="Étape suivante").click()
    expect(page.locator("#error-summary")).to_contain_text(
        "La société cliente n’apparaît pas comme titulaire ou cotitulaire de ce véhicule"
    )
    visit(page, check_a11y, "adresse-societe-1-refus")
    page.get_by_label("Numéro SIRET du client").fill("732 829 320 00074")
    page.get_by_role("button", name="Étape suivante").click()

    expect(page.locator(".fr-stepper__title")).to_contain_text(
        "Mandat et pièce d’identité du client"
    )
    upload(page, "Mandat d’immatriculation (cerfa n° 13757)", sample_pdf(tmp_path, "mandat.pdf"))
    upload(page, "Extrait K-bis de la société cliente", sample_pdf(tmp_path, "kbis.pdf"))
    visit(page, check_a11y, "adresse-societe-2-kbis")
    page.get_by_role("button", name="Étape suivante").click()

    page.get_by_label("Numéro et nom de la voie").fill("25 rue de la République")
    page.get_by_label("Code postal", exact=True).fill("69002")
    page.locator("#id_commune").fill("Lyon")
    page.get_by_label("Date du déménagement").fill("01/11/2026")
    page.get_by_role("button", name="Étape suivante").click()
    page.get_by_label(re.compile("Je certifie sur l’honneur que la nouvelle adresse")).check(
        force=True
    )
    page.get_by_role("button", name="Valider ma demande").click()

    expect(page.get_by_text("Votre nouvelle adresse est enregistrée")).to_be_visible()
    expect(page.locator("#deposant-titulaire")).to_contain_text(
        "Transports Martin (SIRET 73282932000074)"
    )
    expect(page.locator("#deposant-titulaire")).to_contain_text("Garage du Centre (mandataire")
    visit(page, check_a11y, "adresse-societe-3-finalisation")
