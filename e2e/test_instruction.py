"""Browser journey of the back office (issue 7): a citizen's request is
suspended by an agent signed in with TOTP, the citizen answers, the agent
validates and transmits, the factory's tasks run and the citizen sees
"Terminée" and the history."""

from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PASSWORD = "Agent-Titres-2026!"


def _setup():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.instruction.factories import (
        AgentMembershipFactory,
        AuthorityFactory,
        DocumentFactory,
        PermisDemarcheFactory,
        UserFactory,
        answers,
    )
    from titres.permis.models import LicenceRecord, LicenceTitle

    record = LicenceRecord.objects.create(
        neph="745490000015",
        birth_name="CORNEILLE",
        first_names="Pierre",
        sex="M",
        birth_date=date(1956, 1, 1),
        birth_commune="Nancy",
        birth_departement="54",
    )
    LicenceTitle.objects.create(record=record, number="17AA00001", issued_on=date(2017, 3, 8))
    authority = AuthorityFactory(code="543")
    citizen = UserFactory(username="pierre.corneille", email="pierre.corneille@example.fr")
    demarche = PermisDemarcheFactory(
        submitted=True, authority=authority, owner=citizen, answers=answers(neph=record.neph)
    )
    DocumentFactory(demarche=demarche, label="Justificatif de domicile")
    agent = AgentMembershipFactory(
        authority=authority,
        user=UserFactory(username="alice.agent", first_name="Alice", last_name="Agent"),
    ).user
    agent.set_password(PASSWORD)
    agent.save()
    device = TOTPDevice.objects.create(user=agent, name="Application", confirmed=True)
    return citizen, demarche, device, record


def _code(device):
    from tests.instruction.conftest import totp_code

    device.refresh_from_db()
    return totp_code(device)


def test_agent_suspends_citizen_answers_agent_validates_and_title_is_delivered(
    page, browser, live_server, check_a11y, login_as
):
    citizen, demarche, device, record = _setup()

    # The agent signs in with password and TOTP.
    page.goto("/agent/connexion/")
    check_a11y(page)
    page.get_by_label("Identifiant").fill("alice.agent")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Code à usage unique")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Code à usage unique").fill(_code(device))
    page.get_by_role("button", name="Valider").click()
    expect(
        page.get_by_role("heading", name="Liste des demandes sur l’autorité 543")
    ).to_be_visible()
    check_a11y(page)

    # The file, beside the SNPC record and the viewer; suspend asking for a document.
    page.get_by_role("link", name=f"Voir {demarche.display_number}").click()
    expect(page.get_by_role("heading", name="Consultation SNPC")).to_be_visible()
    expect(page.locator("#viewer-status")).to_contain_text("Page 1 / 1")
    page.get_by_role("button", name="Pivoter à droite").click()
    expect(page.locator("#viewer-status")).to_contain_text("rotation 90°")
    check_a11y(page)
    page.get_by_label("Informations ou documents demandés au télédéclarant").fill(
        "Merci de joindre un justificatif de domicile de moins de 3 mois."
    )
    page.get_by_role("button", name="Suspendre et demander un complément").click()
    expect(page.get_by_text("La demande a été suspendue.")).to_be_visible()
    check_a11y(page)

    # The citizen answers through the procedures pages.
    citizen_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    citizen_page = citizen_context.new_page()
    login_as(citizen_page, citizen)
    citizen_page.goto(f"/demarches/{demarche.number}/complement/")
    check_a11y(citizen_page)
    citizen_page.get_by_label("Votre réponse au service instructeur").fill(
        "Voici ma facture d’électricité."
    )
    citizen_page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(
        citizen_page.get_by_text("Votre réponse a été transmise au service instructeur.")
    ).to_be_visible()

    # Back in the agent's list, validated and transmitted.
    page.goto("/agent/autorite/543/")
    expect(page.get_by_text("Complément reçu")).to_be_visible()
    page.get_by_role("link", name=f"Voir {demarche.display_number}").click()
    page.get_by_role("button", name="Valider la demande").click()
    expect(page.get_by_text("La demande est validée.")).to_be_visible()
    # Validated: the citizen's file page offers the attestation provisoire.
    citizen_page.goto(f"/demarches/{demarche.number}/")
    expect(
        citizen_page.get_by_role("link", name="Attestation provisoire de droits à conduire PDF")
    ).to_have_attribute("href", f"/attestations/{demarche.number}/")
    check_a11y(citizen_page)
    page.get_by_role("button", name="Transmettre à la production").click()
    expect(page.get_by_text("La demande est transmise pour fabrication.")).to_be_visible()
    # The immediate task backend ran the local factory: produced, shipped, delivered.
    page.reload()
    expect(page.get_by_text("Titre remis")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Voir l’historique seul").click()
    expect(page.get_by_role("cell", name="terminer")).to_be_visible()
    check_a11y(page)

    # The citizen sees "Terminée" and the history.
    citizen_page.goto(f"/demarches/{demarche.number}/")
    expect(citizen_page.get_by_text("Terminée").first).to_be_visible()
    expect(citizen_page.get_by_role("table", name="Historique de la demande")).to_contain_text(
        "Demande validée"
    )
    check_a11y(citizen_page)
    citizen_context.close()

    record.refresh_from_db()
    assert record.titles.count() == 2
