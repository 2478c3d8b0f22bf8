"""Browser journey of announcements and maintenance mode (issue 12): an
operator announces planned work, a citizen reads it on every page; the
operator switches maintenance on, the citizen gets the unavailability page
while an agent keeps working in the back office; switched off, the portal
is back."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def verified_login_as(live_server):
    """Like `login_as`, with the second factor done (operators, agents)."""
    from django.conf import settings
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def login(page, user):
        device = TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
        client = Client()
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "url": live_server.url,
                }
            ]
        )
        return page

    return login


@pytest.fixture(autouse=True)
def _fresh_switch():
    from titres.annuaire import announcements, maintenance

    maintenance.forget_cached_state()
    announcements.forget_cached()
    yield
    maintenance.forget_cached_state()
    announcements.forget_cached()


def test_announced_maintenance_then_maintenance_mode(
    browser, live_server, page, login_as, verified_login_as, check_a11y
):
    import datetime

    from django.utils import timezone

    from tests.accounts.factories import UserFactory
    from tests.instruction.factories import AgentMembershipFactory
    from titres.annuaire import announcements, maintenance

    operator = UserFactory(operator=True, username="operatrice", first_name="Odile")
    citizen = UserFactory(username="camille.martin")
    agent = AgentMembershipFactory(user=UserFactory(username="alice.agent")).user

    admin = browser.new_page(base_url=live_server.url, locale="fr-FR")
    verified_login_as(admin, operator)
    work_day = timezone.localtime() + datetime.timedelta(days=2)
    admin.goto("/gestion/annuaire/announcement/add/")
    admin.select_option("#id_kind", "maintenance")
    admin.fill("#id_title", "Maintenance du portail en soirée")
    admin.fill("#id_body", "Les démarches en ligne seront indisponibles pendant les travaux.")
    admin.fill("#id_work_starts_at_0", work_day.strftime("%d/%m/%Y"))
    admin.fill("#id_work_starts_at_1", "20:00:00")
    admin.fill("#id_work_ends_at_0", work_day.strftime("%d/%m/%Y"))
    admin.fill("#id_work_ends_at_1", "23:00:00")
    admin.click("input[name=_save]")
    expect(admin.locator(".messagelist")).to_contain_text("ajouté")
    announcements.forget_cached()

    login_as(page, citizen)
    page.goto("/")
    expect(page.locator("#annonces-titre")).to_be_visible()
    expect(
        page.locator("section[aria-labelledby=annonces-titre] .fr-alert__title")
    ).to_contain_text("Maintenance du portail")
    expect(page.locator(".fr-notice")).to_contain_text("Maintenance du ")
    check_a11y(page)
    page.goto("/demarches/")
    expect(page.locator(".fr-notice")).to_contain_text("Maintenance du portail en soirée")
    check_a11y(page)

    admin.goto("/gestion/annuaire/maintenancemode/add/")
    admin.check("#id_is_on")
    admin.fill("#id_message", "Le portail est en maintenance jusqu’à 23 h.")
    admin.click("input[name=_save]")
    expect(admin.locator(".messagelist")).to_contain_text("ajouté")
    maintenance.forget_cached_state()

    response = page.goto("/demarches/")
    assert response.status == 503
    assert response.headers["retry-after"] == "300"
    expect(page.locator("h1")).to_have_text("Portail en maintenance")
    expect(page.locator("main")).to_contain_text("Le portail est en maintenance jusqu’à 23 h.")
    check_a11y(page)

    agent_page = browser.new_page(base_url=live_server.url, locale="fr-FR")
    verified_login_as(agent_page, agent)
    response = agent_page.goto("/agent/")
    assert response.status == 200
    expect(agent_page.locator("h1")).not_to_have_text("Portail en maintenance")
    agent_page.close()

    # The operator's admin still works: switch it off.
    admin.goto("/gestion/annuaire/maintenancemode/")
    admin.get_by_role("link", name="Maintenance en cours").click()
    admin.uncheck("#id_is_on")
    admin.click("input[name=_save]")
    maintenance.forget_cached_state()
    admin.close()

    assert page.goto("/demarches/").status == 200
    expect(page.locator("h1")).not_to_have_text("Portail en maintenance")
