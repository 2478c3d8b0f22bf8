"""Browser journeys of the holder's procedures: a FranceConnect citizen
changes address (label n° 1, said before confirming), and gets a duplicate
after a theft (police report number, Y4 + Y5 paid with a 3-D Secure card,
CPI). axe-core and the page checks on every page; screenshots at 1280
and 375 px."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from e2e.test_vehicules_journey import franceconnect_login, pay_with_3ds
from tests.vehicules.factories import HolderFactory, VehicleFactory
from titres.vehicules.models import CancelledCertificate, Holder

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def _pierres_vehicle(**kwargs):
    vehicle = VehicleFactory(holder=False, **kwargs)
    HolderFactory(
        vehicle=vehicle,
        last_name="MERCIER",
        first_names="Pierre",
        birth_date=date(1990, 1, 15),
        address="3 place Bellecour",
        postal_code="69002",
        commune="Lyon",
    )
    return vehicle


def _choose(page, title):
    page.goto("/vehicules/")
    page.get_by_label("Type de demande").select_option(label=title)
    page.get_by_role("button", name="Ajouter une demande").click()


def test_a_citizen_changes_address(page, check_a11y):
    vehicle = _pierres_vehicle()
    franceconnect_login(page, "Pierre MERCIER")
    _choose(page, "Je change d’adresse")
    expect(page.locator("h1")).to_contain_text("Je change d’adresse")
    check_a11y(page)
    page.get_by_label("Pour moi-même, titulaire du certificat").check(force=True)
    page.get_by_label("Numéro d’immatriculation").fill(vehicle.plate_display)
    page.get_by_label("Numéro de formule").fill("2019ZZ00000")
    page.get_by_role("button", name="Étape suivante").click()
    expect(page.locator("#error-summary")).to_contain_text("Le numéro de formule ne correspond pas")
    check_a11y(page)
    page.get_by_label("Numéro de formule").fill(vehicle.formule_number)
    page.get_by_role("button", name="Étape suivante").click()

    expect(page.locator("#adresse-actuelle")).to_have_text("3 place Bellecour, 69002 Lyon")
    expect(page.locator("#suite-changement-adresse")).to_contain_text("(n° 1 sur 3)")
    check_a11y(page)
    page.get_by_label("Numéro et nom de la voie").fill("25 rue de la République")
    page.get_by_label("Code postal", exact=True).fill("69002")
    page.locator("#id_commune").fill("Lyon")
    page.get_by_label("Date du déménagement").fill("01/11/2026")
    page.get_by_role("button", name="Étape suivante").click()

    expect(page.locator("#suite-changement-adresse")).to_contain_text(
        "Une étiquette portant la nouvelle adresse (n° 1 sur 3)"
    )
    check_a11y(page)
    page.get_by_label(re.compile("Je certifie sur l’honneur que la nouvelle adresse")).check(
        force=True
    )
    page.get_by_role("button", name="Valider ma demande").click()

    expect(page.get_by_text("Votre nouvelle adresse est enregistrée")).to_be_visible()
    expect(page.locator("#suite-demarche")).to_contain_text("L’étiquette n° 1")
    check_a11y(page)
    with page.expect_download() as accuse:
        page.get_by_role("link", name=re.compile("Accusé d’enregistrement")).click()
    assert accuse.value.suggested_filename.startswith("accuse-")
    assert Holder.objects.get(vehicle=vehicle).address == "25 rue de la République"

    page.goto("/vehicules/mes-demarches/?voir=1")
    expect(page.get_by_role("cell", name=vehicle.plate_display)).to_be_visible()
    check_a11y(page)


def test_a_citizen_gets_a_duplicate_after_theft(page, check_a11y):
    vehicle = _pierres_vehicle()
    old_formule = vehicle.formule_number
    franceconnect_login(page, "Pierre MERCIER")
    _choose(page, "Je demande un duplicata de ma carte grise")
    check_a11y(page)
    page.get_by_label("Pour moi-même, titulaire du certificat").check(force=True)
    page.get_by_label("Numéro d’immatriculation").fill(vehicle.plate_display)
    page.get_by_label("Vol", exact=True).check(force=True)
    page.get_by_role("button", name="Étape suivante").click()
    expect(page.locator("#error-summary")).to_contain_text(
        "Indiquez le numéro du récépissé de dépôt de plainte"
    )
    check_a11y(page)
    page.get_by_label("Numéro du récépissé de dépôt de plainte").fill("PV 2026/004512")
    page.get_by_role("button", name="Étape suivante").click()

    expect(page.get_by_role("heading", name="Conditions légales d’utilisation")).to_be_visible()
    expect(page.locator("#taxes")).to_contain_text("non due pour un duplicata")
    check_a11y(page)
    for checkbox in page.locator("input[type=checkbox]").all():
        checkbox.check(force=True)
    page.get_by_role("button", name="Valider").click()

    expect(page.locator("#taxes-total")).to_have_text("13,76 €")
    check_a11y(page)
    page.get_by_role("button", name="Valider").click()
    pay_with_3ds(page, check_a11y)
    check_a11y(page)
    page.get_by_role("button", name="Cliquer ici pour enregistrer votre paiement").click()

    expect(page.get_by_text("Votre demande de duplicata est enregistrée")).to_be_visible()
    check_a11y(page)
    with page.expect_download() as cpi:
        page.get_by_role("link", name=re.compile("Certificat Provisoire d’Immatriculation")).click()
    assert cpi.value.suggested_filename.startswith("cpi-")
    cancelled = CancelledCertificate.objects.get(vehicle=vehicle)
    assert cancelled.formule_number == old_formule
    assert cancelled.police_report_number == "PV 2026/004512"
