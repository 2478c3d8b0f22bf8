"""Browser journey of the professional's stock (issue 18): a garage
declares the purchase of a used vehicle (the barred certificate), finds it
in its stock, declares its resale to the final buyer and reads the code de
cession, then downloads the certificate de cession. axe-core on every
page; screenshots at 1280 and 375 px in var/screenshots/."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.journeys import sample_pdf, upload
from e2e.test_vehicules_journey import shoot
from tests.accounts.factories import HabilitationFactory
from tests.vehicules.factories import VehicleFactory
from titres.vehicules.professionnels.models import PurchaseProof
from titres.vehicules.professionnels.stock import Establishment, declare_purchase

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def visit(page, check_a11y, name):
    check_a11y(page)
    shoot(page, f"pro-stock-{name}")


def test_buy_into_stock_then_resell_with_a_code(page, check_a11y, login_as, tmp_path):
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    habilitation = HabilitationFactory(organisation_name="Garage du Centre", siret="35600000000048")
    yesterday = (timezone.localdate() - timezone.timedelta(days=1)).strftime("%d/%m/%Y")
    login_as(page, habilitation.user)

    page.goto("/vehicules/professionnel/")
    page.get_by_role("link", name="Mon stock : achats et reventes").click()
    expect(page.locator("h1")).to_have_text("Mon stock de véhicules")
    expect(page.locator("#resultats")).to_have_text("Aucun véhicule en stock")
    page.get_by_role("link", name="Déclarer l’achat d’un véhicule").click()
    expect(page.locator("h1")).to_have_text(
        "J’achète un véhicule pour le revendre : déclaration d’achat"
    )
    visit(page, check_a11y, "1-achat")

    page.get_by_label("Numéro d’immatriculation").fill("FG-123-HJ")
    page.get_by_label("Numéro de formule").fill("2019FG04521")
    page.get_by_label("Nom du vendeur (titulaire du véhicule)").fill("Durand")
    page.get_by_label("Prénoms du vendeur").fill("Paul")
    page.get_by_label("Date de l’achat").fill(yesterday)
    page.get_by_label("Heure de l’achat").fill("09:30")
    page.get_by_label("Kilométrage inscrit au compteur").fill("61000")
    page.get_by_text("Certificat d’immatriculation barré et signé par le vendeur").click()
    scan = sample_pdf(tmp_path, "certificat-barre.pdf")
    page.locator("#id_certificat_barre").set_input_files(str(scan))
    page.get_by_label("Adresse de votre établissement (numéro et voie)").fill(
        "12 avenue Jean Jaurès"
    )
    page.get_by_label("Code postal").fill("08000")
    page.get_by_label("Commune").fill("Charleville-Mézières")
    page.get_by_role("button", name="Enregistrer la déclaration d’achat").click()
    # Not the holder: refused with the message, nothing recorded.
    expect(page.locator("#error-summary")).to_contain_text(
        "Le vendeur indiqué n’apparaît pas comme titulaire"
    )
    visit(page, check_a11y, "2-achat-refus")
    page.get_by_label("Nom du vendeur (titulaire du véhicule)").fill("Moreau")
    page.get_by_label("Prénoms du vendeur").fill("Jeanne")
    # A browser never refills a file input: the scan is chosen again.
    page.locator("#id_certificat_barre").set_input_files(str(scan))
    page.get_by_role("button", name="Enregistrer la déclaration d’achat").click()

    expect(page.locator("h1")).to_have_text("Mon stock de véhicules")
    expect(page.get_by_text("Achat du véhicule FG-123-HJ enregistré")).to_be_visible()
    expect(page.locator("#resultats")).to_have_text("1 véhicule en stock")
    card = page.locator(".fr-card", has_text="FG-123-HJ")
    expect(card).to_contain_text("Vendeur : MOREAU Jeanne")
    expect(card).to_contain_text("(61\u202f000 km)")
    expect(card).to_contain_text("Certificat barré déposé (1 page)")
    visit(page, check_a11y, "3-liste")
    with page.expect_download() as accuse:
        card.get_by_role("link", name="Accusé d’enregistrement (PDF) — FG-123-HJ").click()
    entry = vehicle.stock_entries.get()
    assert accuse.value.suggested_filename == f"accuse-achat-{entry.registration_number}.pdf"
    assert entry.certificate_scan_name == "certificat-barre.pdf"

    card.get_by_role("link", name="Déclarer la revente — FG-123-HJ").click()
    expect(page.locator("h1")).to_have_text(
        "Revente du véhicule FG-123-HJ : déclaration de cession"
    )
    visit(page, check_a11y, "4-revente")
    page.get_by_label("Date de la cession").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Heure de la cession").fill("00:01")
    page.get_by_label("Kilométrage inscrit au compteur").fill("61200")
    page.get_by_text("Une personne physique").click()
    page.get_by_label("Nom de naissance de l’acquéreur").fill("Mercier")
    page.get_by_label("Prénoms de l’acquéreur").fill("Pierre")
    page.get_by_label("Adresse de l’acquéreur (numéro et voie)").fill("3 place Bellecour")
    page.get_by_label("Code postal").fill("69002")
    page.get_by_label("Commune").fill("Lyon")
    page.get_by_role("button", name="Enregistrer la déclaration de cession").click()

    expect(page.locator("h1")).to_have_text("Déclaration de cession enregistrée")
    expect(page.locator("#code-cession")).to_have_text(re.compile(r"^\w{4}-\w{4}-\w$"))
    visit(page, check_a11y, "5-code")
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Télécharger le certificat de cession (PDF)").click()
    assert pdf.value.suggested_filename == "certificat-de-cession-FG123HJ.pdf"
    page.get_by_role("link", name="Revenir à mon stock").click()
    expect(page.locator("#resultats")).to_have_text("Aucun véhicule en stock")
    assert vehicle.stock_entries.get().resale is not None


def test_the_scan_of_a_batch_purchase_is_added_from_the_stock(page, check_a11y, login_as, tmp_path):
    habilitation = HabilitationFactory(organisation_name="Garage du Centre", siret="35600000000048")
    entry = declare_purchase(
        vehicle=VehicleFactory(plate="FG124HJ"),
        habilitation=habilitation,
        seller_names=("MOREAU", "Jeanne"),
        purchased_at=timezone.now() - timezone.timedelta(hours=2),
        mileage=61000,
        proof=PurchaseProof.CERTIFICAT,
        establishment=Establishment(
            address="12 avenue Jean Jaurès", postal_code="08000", commune="Charleville-Mézières"
        ),
        actor=habilitation.user,
        by_batch=True,
    )
    login_as(page, habilitation.user)
    page.goto("/vehicules/professionnel/stock/")
    card = page.locator(".fr-card", has_text="FG-124-HJ")
    expect(card).to_contain_text("Déclaré par fichier : pas de scan du certificat barré")
    card.get_by_role("link", name="Ajouter le scan du certificat barré — FG-124-HJ").click()
    expect(page.locator("h1")).to_have_text("Ajouter le scan du certificat barré")
    expect(page.locator("main")).to_contain_text(entry.registration_number)
    visit(page, check_a11y, "6-scan")
    page.get_by_role("button", name="Ajouter le scan").click()
    expect(page.locator("#error-summary")).to_contain_text(
        "Déposez le scan du certificat d’immatriculation barré"
    )
    visit(page, check_a11y, "7-scan-refus")
    scan = sample_pdf(tmp_path, "certificat-barre.pdf", pages=2)
    page.locator("#id_certificat_barre").set_input_files(str(scan))
    page.get_by_role("button", name="Ajouter le scan").click()
    expect(page.locator("h1")).to_have_text("Mon stock de véhicules")
    expect(
        page.get_by_text("Scan du certificat barré du véhicule FG-124-HJ ajouté")
    ).to_be_visible()
    card = page.locator(".fr-card", has_text="FG-124-HJ")
    expect(card).to_contain_text("Certificat barré déposé (2 pages)")
    expect(card.get_by_role("link", name=re.compile("Ajouter le scan"))).to_have_count(0)
    visit(page, check_a11y, "8-scan-ajoute")
    entry.refresh_from_db()
    assert entry.certificate_scan_pages == 2


def test_change_of_holder_for_a_company_client(page, check_a11y, login_as, tmp_path):
    """Part 2 of the issue's professionals' section: a company client
    (raison sociale + SIRET), the K-bis in place of the ID, the company
    shown (not typed again) on the holder step."""
    from tests.vehicules.factories import declared
    from titres.vehicules.enums import PersonKind
    from titres.vehicules.services.cession import Buyer

    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(
        vehicle,
        buyer=Buyer(
            kind=PersonKind.MORALE,
            company_name="Transports Martin",
            siret="73282932000074",
            address="3 place Bellecour",
            postal_code="69002",
            commune="Lyon",
        ),
    )
    login_as(page, HabilitationFactory(organisation_name="Garage du Centre").user)
    page.goto("/vehicules/professionnel/")
    page.get_by_label("Type de demande").select_option(
        label="J’achète ou je reçois un véhicule d’occasion"
    )
    page.get_by_role("button", name="Ajouter une demande").click()
    page.get_by_label("Une société (numéro SIRET)").check(force=True)
    page.get_by_label("Raison sociale du client").fill("Transports Martin")
    page.get_by_label("Numéro SIRET du client").fill("732 829 320 00074")
    page.get_by_label("Numéro d’immatriculation").fill("FG-123-HJ")
    page.get_by_label("Oui", exact=True).check(force=True)
    page.locator("#id_code_cession").fill(sold.code_display)
    visit(page, check_a11y, "6-societe-pour-commencer")
    page.get_by_role("button", name="Démarrer la procédure").click()
    expect(page.locator(".fr-stepper__title")).to_contain_text("Mandat")
    for label, name in (
        ("Mandat d’immatriculation (cerfa n° 13757)", "mandat.pdf"),
        ("Extrait K-bis de la société cliente", "kbis.pdf"),
    ):
        upload(page, label, sample_pdf(tmp_path, name))
    page.get_by_role("button", name="Étape suivante").click()
    expect(page.locator("#id_raison_sociale")).to_be_disabled()
    expect(page.locator("#id_raison_sociale")).to_have_value("Transports Martin")
    expect(page.locator("#id_siret")).to_have_value("73282932000074")
    expect(page.get_by_text("Sexe")).to_have_count(0)
    visit(page, check_a11y, "7-societe-titulaire")
