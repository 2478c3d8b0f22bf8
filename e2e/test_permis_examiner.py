"""An agent allowed to record exam results opens "Résultats d'examen" from
the agents' menu, finds the candidate by NEPH, records the theory test then
the practical test B, and reads them in the table; a practical test without
a valid theory test is refused with the reason. axe-core and screenshots
(desktop and 375 px) under var/screenshots/."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def _login_agent(page, live_server, user):
    from django.conf import settings

    from tests.instruction.conftest import verified_client

    cookie = verified_client(user).cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_agent_records_the_theory_and_practical_results(page, live_server, check_a11y):
    from django.contrib.auth.models import Permission
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.instruction.factories import AgentMembershipFactory, AuthorityFactory, UserFactory
    from tests.permis.factories import LicenceRecordFactory
    from titres.permis.enums import LicenceState

    user = AgentMembershipFactory(
        authority=AuthorityFactory(code="543"),
        user=UserFactory(username="alice.examens", first_name="Alice", last_name="Martin"),
    ).user
    TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    user.user_permissions.add(Permission.objects.get(codename="record_exam_result"))
    record = LicenceRecordFactory(
        state=LicenceState.EN_FORMATION, birth_name="LEFÈVRE", first_names="Camille"
    )
    _login_agent(page, live_server, user)
    day = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")

    page.goto("/agent/")
    page.get_by_role("link", name="Résultats d’examen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Résultats d’examen du permis de conduire"
    )
    check_a11y(page)
    page.get_by_label("Numéro de dossier (NEPH) du candidat").fill(record.neph_display)
    page.get_by_role("button", name="Rechercher le candidat").click()
    expect(page.get_by_text("LEFÈVRE")).to_be_visible()

    # A practical test first: refused, what was typed is kept.
    page.get_by_label("Épreuve", exact=True).select_option("B")
    page.get_by_label("Date de l’épreuve").fill(day)
    page.get_by_label("Centre d’examen").fill("Centre d’examen de Nancy")
    page.locator("label[for=id_passed_0]").click()
    page.get_by_role("button", name="Enregistrer le résultat").click()
    expect(
        page.get_by_text("l’épreuve pratique ne peut pas être enregistrée").first
    ).to_be_visible()
    expect(page.get_by_label("Centre d’examen")).to_have_value("Centre d’examen de Nancy")
    check_a11y(page)

    page.get_by_label("Épreuve", exact=True).select_option("etg")
    page.get_by_role("button", name="Enregistrer le résultat").click()
    expect(page.get_by_text("Résultat enregistré pour Camille LEFÈVRE")).to_be_visible()
    page.get_by_label("Épreuve", exact=True).select_option("B")
    page.get_by_label("Date de l’épreuve").fill(day)
    page.get_by_label("Centre d’examen").fill("Centre d’examen de Nancy")
    page.locator("label[for=id_passed_0]").click()
    page.get_by_role("button", name="Enregistrer le résultat").click()
    table = page.get_by_role("table", name="Résultats déjà enregistrés")
    expect(table).to_contain_text("Épreuve pratique B")
    expect(table).to_contain_text("Réussite — CEPC n° CEPC")
    check_a11y(page)
    page.screenshot(path="var/screenshots/permis-examiner-1280.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.screenshot(path="var/screenshots/permis-examiner-375.png", full_page=True)
