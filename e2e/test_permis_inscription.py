"""Browser journey of the inscription au permis de conduire (issue 19): a
driving school registers its candidate for category B (mandate as a
supporting document), the prefecture's agent validates it in the back
office, the NEPH is attributed and the school downloads the attestation
d'inscription. axe-core and the page checks on every page."""

import pytest
from playwright.sync_api import expect

from e2e.journeys import sample_pdf, upload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PASSWORD = "Agent-Titres-2026!"


@pytest.fixture(autouse=True)
def _setup(settings):
    from titres.permis.demo import load_authorities

    load_authorities()
    settings.CLAMAV_URL = ""


def _school():
    from tests.accounts.factories import UserFactory

    return UserFactory(
        username="ecole.centre",
        profile="auto_ecole",
        email="contact@ecole-du-centre.fr",
        organisation_name="École de conduite du Centre",
        approval_number="E 054 0001 0",
    )


def _agent():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.instruction.factories import AgentMembershipFactory, UserFactory
    from titres.procedures.models import Authority

    authority = Authority.objects.get(code="543")
    agent = AgentMembershipFactory(
        authority=authority,
        user=UserFactory(username="alice.agent", first_name="Alice", last_name="Agent"),
    ).user
    agent.set_password(PASSWORD)
    agent.save()
    return agent, TOTPDevice.objects.create(user=agent, name="Application", confirmed=True)


def _photo():
    from tests.permis.factories import PhotographerFactory
    from titres.permis.services import register_photo

    return register_photo(
        photographer=PhotographerFactory(approval_number="PH-54-9999", name="Photo Stanislas")
    )


def _next(page):
    page.get_by_role("button", name="Étape suivante").click()


def _step(page, number, title):
    expect(page.locator(".fr-stepper__state")).to_have_text(f"Étape {number} sur 7")
    expect(page.locator(".fr-stepper__title")).to_contain_text(title)


def _birth_date_17():
    from django.utils import timezone

    from titres.permis.models import add_years

    return add_years(timezone.localdate(), -17).strftime("%d/%m/%Y")


def test_school_registers_a_candidate_and_gets_the_neph(
    page, browser, live_server, login_as, check_a11y, mailbox, tmp_path
):
    from tests.instruction.conftest import totp_code
    from titres.permis.enums import LicenceState
    from titres.permis.models import LicenceRequest

    school = _school()
    photo = _photo()
    login_as(page, school)
    page.goto("/demarches/nouvelle/permis/")
    check_a11y(page)
    page.get_by_role(
        "button", name="Commencer — Permis de conduire : inscription (premier permis)"
    ).click()

    _step(page, 1, "État civil")
    check_a11y(page)
    page.get_by_label("Nom de naissance").fill("Lefort")
    page.get_by_text("Femme", exact=True).click()
    page.get_by_label("1er prénom").fill("Camille")
    page.get_by_label("Date de naissance").fill(_birth_date_17())
    page.get_by_label("Commune de naissance").fill("Nancy")
    page.get_by_label("Département de naissance").select_option("54")
    _next(page)

    _step(page, 2, "Adresse et contact")
    check_a11y(page)
    page.get_by_label("N° de la voie").fill("12")
    page.get_by_label("Type de voie (avenue, boulevard, etc)").select_option("rue")
    page.get_by_label("Nom de la voie").fill("Stanislas")
    page.get_by_label("Code postal", exact=True).fill("54000")
    expect(page.locator("#id_commune")).to_have_value("Nancy")
    page.get_by_label("Adresse électronique").fill("camille.lefort@example.fr")
    page.locator("label[for=id_consentement_information_1]").click()
    _next(page)

    # Categories: the table of the rules in force, a refusal with its reason.
    _step(page, 3, "Catégories")
    expect(page.locator("#table-categories")).to_contain_text(
        "17 ans (dès 15 ans en conduite accompagnée)"
    )
    expect(page.locator("#sources-categories")).to_contain_text("décret n° 2023-1258")
    check_a11y(page)
    page.get_by_label("Voiture avec remorque de plus de 750 kg (BE)").check(force=True)
    _next(page)
    expect(
        page.get_by_text("La catégorie BE suppose d’être déjà titulaire de la catégorie B").first
    ).to_be_visible()
    check_a11y(page)
    page.get_by_label("Voiture avec remorque de plus de 750 kg (BE)").uncheck(force=True)
    page.get_by_label("Voiture (B)").check(force=True)
    _next(page)

    _step(page, 4, "Photo / Signature")
    check_a11y(page)
    page.get_by_label("Code « photo numérique »").fill(photo.code_display)
    _next(page)

    # Documents of a 17-year-old filed by a school: ASSR, JDC and the mandate.
    _step(page, 5, "Pièces justificatives")
    check_a11y(page)
    upload(page, "Pièce d’identité", sample_pdf(tmp_path, "cni.pdf"))
    upload(page, "Justificatif de domicile de moins de 3 mois", sample_pdf(tmp_path, "facture.pdf"))
    upload(
        page, "ASSR 2 ou attestation de sécurité routière (ASR)", sample_pdf(tmp_path, "assr.pdf")
    )
    upload(
        page,
        "Certificat de participation à la JDC ou attestation de recensement",
        sample_pdf(tmp_path, "jdc.pdf"),
    )
    upload(page, "Mandat du candidat à l’école de conduite", sample_pdf(tmp_path, "mandat.pdf"))
    check_a11y(page)
    _next(page)

    _step(page, 6, "Récapitulatif")
    check_a11y(page)
    expect(page.get_by_text("Voiture (B)")).to_be_attached()
    page.get_by_text("Je soussigné(e)").click()
    page.get_by_role("button", name="Valider ma demande").click()
    expect(page.get_by_role("heading", name="Demande confirmée et consultable")).to_be_visible()
    check_a11y(page)
    number = page.locator("#numero-demande").get_attribute("data-numero")
    request = LicenceRequest.objects.get(demarche__number=number)
    assert request.categories == ["B"]

    # The prefecture's agent validates in the back office.
    agent, device = _agent()
    agent_page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    agent_page.goto("/agent/connexion/")
    agent_page.get_by_label("Identifiant").fill("alice.agent")
    agent_page.get_by_label("Mot de passe").fill(PASSWORD)
    agent_page.get_by_role("button", name="Se connecter").click()
    agent_page.get_by_label("Code à usage unique").fill(totp_code(device))
    agent_page.get_by_role("button", name="Valider").click()
    agent_page.goto(f"/agent/dossiers/{number}/")
    check_a11y(agent_page)
    agent_page.get_by_role("button", name="Valider la demande").click()
    expect(agent_page.get_by_text("La demande est validée.")).to_be_visible()
    expect(agent_page.get_by_role("button", name="Transmettre à la production")).to_have_count(0)
    check_a11y(agent_page)
    request.refresh_from_db()
    record = request.record
    assert record.state == LicenceState.EN_FORMATION

    # The school is told, sees the NEPH and downloads the attestation.
    mail = mailbox.last_to("contact@ecole-du-centre.fr")
    assert mail is not None and record.neph_display in mail.body
    assert mailbox.last_to("camille.lefort@example.fr") is not None
    page.goto(f"/demarches/{number}/")
    check_a11y(page)
    link = page.get_by_role("link", name="Attestation d’inscription au permis de conduire")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"attestation-inscription-{number}.pdf"
    page.goto("/permis/demandes/candidats/")
    expect(page.get_by_role("cell", name=record.neph_display)).to_be_visible()
    check_a11y(page)

    # (Demo) the candidate passes the theory test and the practical test B.
    from datetime import timedelta

    from django.utils import timezone

    from titres.permis import exams

    today = timezone.localdate()
    exams.record_theory_test(
        record=record, taken_on=today - timedelta(days=30), passed=True, centre="Nancy"
    )
    cepc = exams.record_practical_test(
        record=record, category="B", taken_on=today - timedelta(days=2), passed=True,
        centre="Centre d’examen de Nancy-Laxou",
    )  # fmt: skip

    # The school requests the title: the pass is checked in the SNPC.
    page.get_by_role("button", name="Demander la fabrication du titre après l’examen").click()
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 1 sur 4")
    check_a11y(page)
    page.get_by_label("Numéro de dossier (NEPH) du candidat").fill(record.neph_display)
    page.get_by_label("Date de naissance du candidat").fill(record.birth_date.strftime("%d/%m/%Y"))
    _next(page)
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 2 sur 4")
    check_a11y(page)
    page.get_by_label("N° de la voie").fill("12")
    page.get_by_label("Nom de la voie").fill("Stanislas")
    page.get_by_label("Code postal", exact=True).fill("54000")
    expect(page.locator("#id_commune")).to_have_value("Nancy")
    page.get_by_label("Adresse électronique").fill("camille.lefort@example.fr")
    page.locator("label[for=id_consentement_information_1]").click()
    _next(page)
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 3 sur 4")
    expect(page.get_by_text(f"CEPC n° {cepc.cepc_number}").first).to_be_attached()
    check_a11y(page)
    page.get_by_text("Je soussigné(e)").click()
    page.get_by_role("button", name="Valider ma demande").click()
    check_a11y(page)
    title_request = LicenceRequest.objects.get(motif="fabrication")
    title_number = title_request.demarche.number

    # The prefecture validates and transmits; the factory makes the card.
    agent_page.goto(f"/agent/dossiers/{title_number}/")
    check_a11y(agent_page)
    agent_page.get_by_role("button", name="Valider la demande").click()
    expect(agent_page.get_by_text("La demande est validée.")).to_be_visible()
    agent_page.get_by_role("button", name="Transmettre à la production").click()
    expect(agent_page.get_by_text("La demande est transmise pour fabrication.")).to_be_visible()
    record.refresh_from_db()
    assert record.state == LicenceState.VALIDE and record.points_balance == 6

    # The candidate attaches their account and reads a valid licence, 6 points.
    from tests.accounts.factories import UserFactory

    candidate = UserFactory(username="camille.lefort", email="camille.lefort@example.fr")
    candidate_page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    login_as(candidate_page, candidate)
    candidate_page.goto("/permis/mon-permis/")
    candidate_page.get_by_label("Numéro de dossier (NEPH)").fill(record.neph_display)
    candidate_page.get_by_label("Date de naissance").fill(record.birth_date.strftime("%d/%m/%Y"))
    candidate_page.get_by_role("button", name="Rattacher mon dossier").click()
    expect(candidate_page.locator("#points-balance")).to_have_text("6 / 6 points")
    expect(candidate_page.get_by_text("Permis probatoire : 12 points")).to_be_visible()
    check_a11y(candidate_page)
