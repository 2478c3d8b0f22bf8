"""Browser journeys of the other licence requests (issue 19): a German
licence exchanged (the citizen files, the prefecture validates, the SNPC
file holds the French categories and the surrendered licence), a category
extension after the exam, and the driving school's list with a filter.
axe-core and the page checks on every page."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.journeys import sample_pdf, upload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PASSWORD = "Agent-Titres-2026!"


@pytest.fixture(autouse=True)
def _setup(settings):
    from titres.permis.demo import load_authorities

    load_authorities()
    settings.CLAMAV_URL = ""


def _agent_page(browser, live_server):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.instruction.conftest import totp_code
    from tests.instruction.factories import AgentMembershipFactory, UserFactory
    from titres.procedures.models import Authority

    agent = AgentMembershipFactory(
        authority=Authority.objects.get(code="543"),
        user=UserFactory(username="alice.agent", first_name="Alice", last_name="Agent"),
    ).user
    agent.set_password(PASSWORD)
    agent.save()
    device = TOTPDevice.objects.create(user=agent, name="Application", confirmed=True)
    page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    page.goto("/agent/connexion/")
    page.get_by_label("Identifiant").fill("alice.agent")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code à usage unique").fill(totp_code(device))
    page.get_by_role("button", name="Valider").click()
    return page


def _validate_and_transmit(agent_page, number, check_a11y):
    agent_page.goto(f"/agent/dossiers/{number}/")
    check_a11y(agent_page)
    agent_page.get_by_role("button", name="Valider la demande").click()
    expect(agent_page.get_by_text("La demande est validée.")).to_be_visible()
    check_a11y(agent_page)
    agent_page.get_by_role("button", name="Transmettre à la production").click()
    expect(agent_page.get_by_text("La demande est transmise pour fabrication.")).to_be_visible()


def _photo():
    from tests.permis.factories import PhotographerFactory
    from titres.permis.services import register_photo

    return register_photo(
        photographer=PhotographerFactory(approval_number="PH-54-9999", name="Photo Stanislas")
    )


def _next(page):
    page.get_by_role("button", name="Étape suivante").click()


def _step(page, number, total, title):
    expect(page.locator(".fr-stepper__state")).to_have_text(f"Étape {number} sur {total}")
    expect(page.locator(".fr-stepper__title")).to_contain_text(title)


def _address(page):
    page.get_by_label("N° de la voie").fill("12")
    page.get_by_label("Type de voie (avenue, boulevard, etc)").select_option("rue")
    page.get_by_label("Nom de la voie").fill("Stanislas")
    page.get_by_label("Code postal", exact=True).fill("54000")
    expect(page.locator("#id_commune")).to_have_value("Nancy")
    page.get_by_label("Adresse électronique").fill("anna.schmidt@example.de")
    page.locator("label[for=id_consentement_information_1]").click()


def test_eu_licence_exchanged(page, browser, live_server, login_as, check_a11y, tmp_path):
    from tests.accounts.factories import UserFactory
    from titres.permis.models import LicenceRecord

    citizen = UserFactory(username="anna.schmidt", email="anna.schmidt@example.de")
    photo = _photo()
    login_as(page, citizen)
    page.goto("/demarches/nouvelle/permis/")
    check_a11y(page)
    page.get_by_role(
        "button", name="Commencer — Permis de conduire : échange d’un permis étranger"
    ).click()

    _step(page, 1, 7, "État civil")
    page.get_by_label("Nom de naissance").fill("Schmidt")
    page.get_by_text("Femme", exact=True).click()
    page.get_by_label("1er prénom").fill("Anna")
    page.get_by_label("Date de naissance").fill("03/04/1990")
    page.get_by_text("À l’étranger", exact=True).click()
    page.get_by_label("Pays de naissance").fill("Allemagne")
    check_a11y(page)
    _next(page)

    _step(page, 2, 7, "Adresse et contact")
    _address(page)
    _next(page)

    # The foreign licence: a country without exchange is refused, with what to do.
    _step(page, 3, 7, "Permis étranger")
    check_a11y(page)
    page.get_by_label("État ou autorité qui a délivré le permis").select_option("US-CA")
    page.get_by_label("Numéro du permis étranger").fill("B072RRE2I55")
    page.get_by_label("Date de délivrance du permis").fill("12/06/2010")
    installed = (timezone.localdate() - timedelta(days=400)).strftime("%d/%m/%Y")
    page.get_by_label("Date d’installation en France").fill(installed)
    page.get_by_text("J’atteste avoir ma résidence normale en France").click()
    page.get_by_label("Voiture (B)").fill("12/06/2010")
    _next(page)
    expect(
        page.get_by_text(
            "Les permis délivrés par « États-Unis — Californie » ne sont pas échangés"
        ).first
    ).to_be_visible()
    check_a11y(page)
    page.get_by_label("État ou autorité qui a délivré le permis").select_option("DE")
    page.get_by_label("Voiture avec remorque de plus de 750 kg (BE)").fill("12/06/2010")
    _next(page)

    _step(page, 4, 7, "Photo / Signature")
    page.get_by_label("Code « photo numérique »").fill(photo.code_display)
    _next(page)

    # An EU licence needs no translation.
    _step(page, 5, 7, "Pièces justificatives")
    expect(page.get_by_text("Traduction officielle du permis étranger")).to_have_count(0)
    upload(page, "Pièce d’identité", sample_pdf(tmp_path, "identite.pdf"))
    upload(page, "Permis de conduire étranger", sample_pdf(tmp_path, "permis-de.pdf"))
    upload(page, "Justificatif de résidence normale en France", sample_pdf(tmp_path, "bail.pdf"))
    check_a11y(page)
    _next(page)

    _step(page, 6, 7, "Récapitulatif")
    expect(page.get_by_text("B (12/06/2010), BE (12/06/2010)")).to_be_attached()
    check_a11y(page)
    page.get_by_text("Je soussigné(e)").click()
    page.get_by_role("button", name="Valider ma demande").click()
    expect(page.get_by_role("heading", name="Demande confirmée et consultable")).to_be_visible()
    check_a11y(page)
    number = page.locator("#numero-demande").get_attribute("data-numero")

    agent_page = _agent_page(browser, live_server)
    _validate_and_transmit(agent_page, number, check_a11y)
    record = LicenceRecord.objects.get(birth_name="SCHMIDT")
    assert {c.category for c in record.categories.all()} == {"B", "BE"}
    assert record.foreign_licences.get().status == "remis"
    assert record.titles.filter(status="valide").exists()

    # The holder attaches the new file: French categories, the German licence surrendered.
    page.goto("/permis/mon-permis/")
    page.get_by_label("Numéro de dossier (NEPH)").fill(record.neph_display)
    page.get_by_label("Date de naissance").fill("03/04/1990")
    page.get_by_role("button", name="Rattacher mon dossier").click()
    expect(page.locator("#points-balance")).to_have_text("12 / 12 points")
    expect(page.get_by_role("cell", name="BE", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Allemagne")).to_be_visible()
    expect(page.get_by_text("Remis à l’autorité le")).to_be_visible()
    check_a11y(page)


def test_category_extension(page, browser, live_server, login_as, check_a11y, tmp_path):
    from datetime import date

    from tests.permis.factories import (
        LicenceCategoryFactory,
        LicenceHolderLinkFactory,
        LicenceRecordFactory,
        LicenceTitleFactory,
        holder_user,
    )
    from titres.permis import exams

    record = LicenceRecordFactory()
    LicenceCategoryFactory(record=record, category="B", obtained_on=date(1974, 6, 12))
    LicenceTitleFactory(record=record)
    today = timezone.localdate()
    exams.record_theory_test(
        record=record, taken_on=today - timedelta(days=60), passed=True, centre="Nancy"
    )
    test = exams.record_practical_test(
        record=record, category="BE", taken_on=today - timedelta(days=5), passed=True,
        centre="Centre d’examen de Nancy-Laxou",
    )  # fmt: skip
    holder = holder_user()
    LicenceHolderLinkFactory(user=holder, record=record)
    photo = _photo()
    login_as(page, holder)
    page.goto("/demarches/nouvelle/permis/")
    page.get_by_role(
        "button", name="Commencer — Permis de conduire : extension à une nouvelle catégorie"
    ).click()

    _step(page, 1, 6, "Permis et examen")
    check_a11y(page)
    page.get_by_label("Numéro de dossier (NEPH) du titulaire").fill(record.neph_display)
    page.get_by_label("Date de naissance du titulaire").fill("01/01/1956")
    page.get_by_label("Camion C1 avec remorque (C1E)").check(force=True)
    _next(page)
    expect(
        page.get_by_text("Aucune réussite à l’épreuve pratique de la catégorie C1E").first
    ).to_be_visible()
    check_a11y(page)
    page.get_by_label("Camion C1 avec remorque (C1E)").uncheck(force=True)
    page.get_by_label("Voiture avec remorque de plus de 750 kg (BE)").check(force=True)
    _next(page)

    _step(page, 2, 6, "Adresse et contact")
    _address(page)
    _next(page)
    _step(page, 3, 6, "Photo / Signature")
    page.get_by_label("Code « photo numérique »").fill(photo.code_display)
    _next(page)
    _step(page, 4, 6, "Pièces justificatives")
    upload(page, "Pièce d’identité", sample_pdf(tmp_path, "cni.pdf"))
    upload(page, "Justificatif de domicile de moins de 3 mois", sample_pdf(tmp_path, "facture.pdf"))
    check_a11y(page)
    _next(page)
    _step(page, 5, 6, "Récapitulatif")
    expect(page.get_by_text(f"CEPC n° {test.cepc_number}").first).to_be_attached()
    check_a11y(page)
    page.get_by_text("Je soussigné(e)").click()
    page.get_by_role("button", name="Valider ma demande").click()
    expect(page.get_by_role("heading", name="Demande confirmée et consultable")).to_be_visible()
    number = page.locator("#numero-demande").get_attribute("data-numero")

    agent_page = _agent_page(browser, live_server)
    _validate_and_transmit(agent_page, number, check_a11y)

    page.goto(f"/permis/mon-permis/{record.neph}/")
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name="BE", exact=True))
    expect(row).to_contain_text(test.taken_on.strftime("%d/%m/%Y"))
    check_a11y(page)


def test_school_list_with_a_filter(page, login_as, check_a11y):
    from tests.accounts.factories import UserFactory
    from tests.procedures.factories import DemarcheFactory
    from titres.permis.models import LicenceRequest

    school = UserFactory(
        username="ecole.centre", profile="auto_ecole", organisation_name="École du Centre",
        approval_number="E 054 0001 0",
    )  # fmt: skip
    other = UserFactory(profile="auto_ecole")
    names = ["LEFORT", "MARTIN", "DURAND", "PETIT"]
    for index, name in enumerate(names):
        demarche = DemarcheFactory(
            owner=school,
            procedure_code="permis-inscription" if index % 2 == 0 else "permis-extension",
            status="EN_COURS",
            answers={},
            acting_for={"type": "candidat", "nom_naissance": name, "prenoms": ["Camille"],
                        "date_naissance": "2007-05-14"},
        )  # fmt: skip
        LicenceRequest.objects.create(demarche=demarche, motif="x", match_method="aucune")
    DemarcheFactory(
        owner=other, procedure_code="permis-inscription", status="EN_COURS", answers={},
        acting_for={"type": "candidat", "nom_naissance": "AUTRE", "prenoms": ["Zoé"]},
    )  # fmt: skip
    login_as(page, school)
    page.goto("/permis/demandes/candidats/")
    expect(page.locator("#resultats")).to_have_text("4 demandes")
    expect(page.get_by_text("AUTRE")).to_have_count(0)
    check_a11y(page)
    page.locator("#id_demande").select_option("permis-extension")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#resultats")).to_have_text("2 demandes")
    expect(page.get_by_text("MARTIN Camille")).to_be_visible()
    expect(page.get_by_text("LEFORT Camille")).to_have_count(0)
    check_a11y(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter la sélection (CSV)").click()
    body = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "MARTIN Camille" in body and "LEFORT" not in body
