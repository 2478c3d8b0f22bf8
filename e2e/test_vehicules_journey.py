"""Browser journeys of seed 003: a seller declares the sale and gets the
code de cession; a FranceConnect buyer files the change of holder with it,
pays the taxes with a 3-D Secure card, downloads the CPI and the accusé.
Another journey without a code (FNI vehicle, date du CI). axe-core on every
page; screenshots at 1280 and 375 px in var/screenshots/."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.journeys import screenshots
from tests.vehicules.factories import HolderFactory, VehicleFactory
from titres.devidp.demo import load as load_devidp
from titres.procedures.models import Demarche

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

CARD_3DS = "4970 1000 0000 0022"


def sale_day():
    """Yesterday: a sale "today at 07:30" is in the future before 07:30 (Paris)."""
    return timezone.localdate() - timedelta(days=1)


def shoot(page, name):
    screenshots(page, f"vehicules-{name}")


def visit(page, check_a11y, name):
    check_a11y(page)
    shoot(page, name)


def franceconnect_login(page, identity_label):
    load_devidp()
    page.goto("/compte/connexion/")
    page.get_by_role("button", name="S’identifier avec FranceConnect").click()
    expect(page).to_have_url(re.compile(r"/devidp/o/authorize/\?"))
    page.get_by_text(identity_label).click()
    page.get_by_role("button", name="Se connecter avec cette identité").click()
    expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))


def pay_with_3ds(page, check_a11y):
    expect(page.locator("h1")).to_have_text("Paiement sécurisé")
    check_a11y(page)
    page.get_by_label("Numéro de carte").fill(CARD_3DS)
    page.get_by_label("Expire fin : mois").select_option("12")
    page.get_by_label("Expire fin : année").select_option(str(timezone.localdate().year + 1))
    page.get_by_label("Numéro de contrôle au dos de la carte").fill("123")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("h1")).to_have_text("Authentification de votre paiement")
    code = page.locator("#code-3ds").inner_text()
    page.get_by_label("Code de confirmation").fill(code)
    page.get_by_role("button", name="Confirmer").click()


def fill_holder_and_pay(page, check_a11y, prefix):
    expect(page.locator("h1")).to_contain_text("J’achète ou je reçois un véhicule d’occasion")
    expect(page.get_by_text("Vérifiez l’identité de l’ancien titulaire")).to_be_visible()
    visit(page, check_a11y, f"{prefix}-2-nouveau-titulaire")
    page.get_by_label(
        "J’ai vérifié que l’identité de l’ancien titulaire est celle du vendeur", exact=True
    ).check(force=True)
    page.get_by_label("Date de la cession").fill(sale_day().strftime("%d/%m/%Y"))
    page.get_by_label("Heure de la cession").fill("08:00")
    if not page.get_by_label("Kilométrage inscrit au compteur").input_value():
        page.get_by_label("Kilométrage inscrit au compteur").fill("152000")
    page.get_by_label("Numéro et nom de la voie").fill("3 place Bellecour")
    page.get_by_label("Code postal", exact=True).fill("69002")
    page.locator("#id_commune").fill("Lyon")
    page.get_by_role("button", name="Poursuivre").click()

    expect(page.get_by_role("heading", name="Conditions légales d’utilisation")).to_be_visible()
    visit(page, check_a11y, f"{prefix}-3-recapitulatif")
    for checkbox in page.locator("input[type=checkbox]").all():
        checkbox.check(force=True)
    page.get_by_role("button", name="Valider").click()

    expect(page.locator("#taxes")).to_be_visible()
    visit(page, check_a11y, f"{prefix}-4-paiement")
    page.get_by_role("button", name="Valider").click()
    pay_with_3ds(page, check_a11y)

    expect(
        page.get_by_role("button", name="Cliquer ici pour enregistrer votre paiement")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Imprimer le reçu")).to_be_visible()
    visit(page, check_a11y, f"{prefix}-5-retour-banque")
    page.get_by_role("button", name="Cliquer ici pour enregistrer votre paiement").click()

    expect(
        page.get_by_text("Votre demande de changement de titulaire est enregistrée")
    ).to_be_visible()
    visit(page, check_a11y, f"{prefix}-6-finalisation")
    with page.expect_download() as cpi:
        page.get_by_role("link", name=re.compile("Certificat Provisoire d’Immatriculation")).click()
    assert cpi.value.suggested_filename.startswith("cpi-")
    with page.expect_download() as accuse:
        page.get_by_role("link", name=re.compile("Accusé d’enregistrement")).click()
    assert accuse.value.suggested_filename.startswith("accuse-")
    return page.locator("#numero-demarche").inner_text()


def test_seller_declares_buyer_files_with_the_code(
    page, check_a11y, login_as, browser, live_server
):
    from tests.vehicules.factories import seller_user

    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    seller = seller_user()

    # The seller (local account) declares the sale.
    login_as(page, seller)
    page.goto("/vehicules/")
    expect(page.locator("h1")).to_have_text("Mon Espace Véhicule")
    visit(page, check_a11y, "0-espace")
    page.get_by_label("Type de demande").select_option("declaration-cession")
    page.get_by_role("button", name="Ajouter une demande").click()
    visit(page, check_a11y, "cession-1-formulaire")
    page.get_by_label("Numéro d’immatriculation").fill("FG-123-HJ")
    page.get_by_label("Numéro de formule").fill("2019FG04521")
    page.get_by_label("Date de la cession").fill(sale_day().strftime("%d/%m/%Y"))
    page.get_by_label("Heure de la cession").fill("07:30")
    page.get_by_label("Kilométrage inscrit au compteur").fill("48250")
    page.get_by_label("Une personne physique", exact=True).check(force=True)
    page.get_by_label("Nom de naissance de l’acquéreur").fill("Mercier")
    page.get_by_label("Prénoms de l’acquéreur").fill("Pierre")
    page.get_by_label("Adresse de l’acquéreur (numéro et voie)").fill("3 place Bellecour")
    page.get_by_label("Code postal", exact=True).fill("69002")
    page.locator("#id_commune").fill("Lyon")
    page.get_by_role("button", name="Enregistrer la déclaration de cession").click()
    expect(page.get_by_text("Code de cession à transmettre à l’acquéreur")).to_be_visible()
    code = page.locator("#code-cession").inner_text()
    visit(page, check_a11y, "cession-2-code")
    with page.expect_download() as certificate:
        page.get_by_role("link", name="Télécharger le certificat de cession (PDF)").click()
    assert certificate.value.suggested_filename.endswith(".pdf")

    # The buyer, in another browser, through FranceConnect.
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    buyer = context.new_page()
    franceconnect_login(buyer, "Pierre MERCIER")
    buyer.goto("/vehicules/")
    buyer.get_by_label("Type de demande").select_option(
        label="J’achète ou je reçois un véhicule d’occasion"
    )
    buyer.get_by_role("button", name="Ajouter une demande").click()
    expect(buyer.get_by_text("Étape 1 sur 5")).to_be_visible()
    visit(buyer, check_a11y, "buyer-1-pour-commencer")
    buyer.get_by_label("Pour moi-même", exact=True).check(force=True)
    buyer.get_by_label("Numéro d’immatriculation").fill("FG-123-HJ")
    buyer.get_by_label("Oui", exact=True).check(force=True)
    buyer.locator("#id_code_cession").fill(code)
    buyer.get_by_role("button", name="Démarrer la procédure").click()
    number = fill_holder_and_pay(buyer, check_a11y, "buyer")

    demarche = Demarche.objects.get(number=number.replace("-", ""))
    assert demarche.status == "EN_COURS"
    assert demarche.changement_titulaire.vehicle == vehicle

    # Tracking: « Mes démarches en cours ».
    buyer.goto("/vehicules/")
    buyer.get_by_label("Rechercher dans la liste").first.fill(number)
    buyer.get_by_role("button", name="Rechercher").first.click()
    expect(buyer.get_by_role("cell", name=number)).to_be_visible()
    visit(buyer, check_a11y, "buyer-7-mes-demarches")

    # The CERT validates and transmits; the local factory delivers.
    agent_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    cert_validates(agent_context.new_page(), check_a11y, demarche)
    agent_context.close()
    vehicle.refresh_from_db()
    assert vehicle.titulaire.last_name == "MERCIER"
    assert vehicle.formule_number != "2019FG04521"
    buyer.goto("/vehicules/mes-demarches/?voir=1")
    expect(
        buyer.get_by_role("row", name=re.compile(number)).get_by_text("Terminée")
    ).to_be_visible()
    visit(buyer, check_a11y, "buyer-8-terminee")
    context.close()


def test_fni_vehicle_without_code_with_ci_date(page, check_a11y):
    vehicle = VehicleFactory(fni=True, plate="3457TV59", holder=False, ci_date=date(2004, 3, 18))
    HolderFactory(vehicle=vehicle, last_name="LEFEBVRE", usage_name="MARTIN", first_names="Marie")
    franceconnect_login(page, "Pierre MERCIER")
    page.goto("/vehicules/")
    page.get_by_label("Type de demande").select_option(
        label="J’achète ou je reçois un véhicule d’occasion"
    )
    page.get_by_role("button", name="Ajouter une demande").click()
    page.get_by_label("Pour moi-même", exact=True).check(force=True)
    page.get_by_label("Numéro d’immatriculation").fill("3457 TV 59")
    page.get_by_label("Non", exact=True).check(force=True)
    page.get_by_label("Date du CI").fill("18/03/2004")
    page.get_by_role("button", name="Démarrer la procédure").click()
    number = fill_holder_and_pay(page, check_a11y, "fni")

    # The buyer abandons the filed change before an agent takes it: the CPI
    # is withdrawn (no link, its address a 404 page saying why), the taxes
    # refunded; the file page and the finalisation say so.
    compact = number.replace("-", "")
    page.goto(f"/demarches/{compact}/")
    page.get_by_role("link", name="Abandonner la démarche").click()
    page.get_by_role("button", name="Confirmer l’abandon").click()
    expect(page.get_by_text("La démarche a été abandonnée.")).to_be_visible()
    expect(
        page.get_by_text(
            "Vous avez abandonné la demande : le changement de titulaire n’est pas inscrit au "
            "système d’immatriculation."
        )
    ).to_be_visible()
    expect(page.get_by_text("Les taxes payées (", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Certificat provisoire"))).to_have_count(0)
    visit(page, check_a11y, "fni-7-abandonnee")
    page.goto(f"/vehicules/demarche/{compact}/finalisation/")
    expect(page.locator("#avis-demarche")).to_contain_text("Demande abandonnée")
    expect(
        page.get_by_role("link", name=re.compile("Certificat Provisoire d’Immatriculation"))
    ).to_have_count(0)
    visit(page, check_a11y, "fni-8-finalisation-abandonnee")
    response = page.goto(f"/vehicules/demarche/{compact}/cpi.pdf")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Ce certificat provisoire d’immatriculation est retiré")
    expect(page.locator("#cpi-retire")).to_contain_text("Demande abandonnée")
    visit(page, check_a11y, "fni-9-cpi-retire")
    demarche = Demarche.objects.get(number=compact)
    assert demarche.status == "ABANDONNEE"
    assert demarche.changement_titulaire.withdrawn_at is not None


AGENT_PASSWORD = "Agent-Titres-2026!"


def cert_validates(page, check_a11y, demarche):
    """The CERT agent (password + TOTP) validates and transmits the file."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.factories import UserFactory
    from tests.instruction.conftest import totp_code
    from tests.instruction.factories import AgentMembershipFactory

    agent = AgentMembershipFactory(
        authority=demarche.authority,
        user=UserFactory(username="cert.agent", first_name="Claire", last_name="Cert"),
    ).user
    agent.set_password(AGENT_PASSWORD)
    agent.save()
    device = TOTPDevice.objects.create(user=agent, name="Application", confirmed=True)
    page.goto("/agent/connexion/")
    page.get_by_label("Identifiant").fill("cert.agent")
    page.get_by_label("Mot de passe").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Code à usage unique")).to_be_visible()
    device.refresh_from_db()
    page.get_by_label("Code à usage unique").fill(totp_code(device))
    page.get_by_role("button", name="Valider").click()
    expect(
        page.get_by_role("heading", name="Liste des demandes sur l’autorité CERT-SIV")
    ).to_be_visible()
    visit(page, check_a11y, "cert-1-liste")
    page.get_by_role("link", name=f"Voir {demarche.display_number}").click()
    # The SIV panel (the procedure's agent_panel hook): the registry's vehicle
    # and holder beside what the file says.
    expect(page.get_by_role("heading", name="Consultation SIV")).to_be_visible()
    expect(page.get_by_text("Information de la demande et dossier SIV")).to_be_visible()
    visit(page, check_a11y, "cert-2-dossier")
    page.get_by_role("button", name="Valider la demande").click()
    expect(page.get_by_text("La demande est validée.")).to_be_visible()
    page.get_by_role("button", name="Transmettre à la production").click()
    expect(page.get_by_text("La demande est transmise pour fabrication.")).to_be_visible()
