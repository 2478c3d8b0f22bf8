import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_partner_dashboard_tokens_charts_and_calls(page, login_as, check_a11y):
    from tests.accounts.factories import UserFactory
    from tests.partenaires.factories import issue
    from titres.accounts.enums import Profile
    from titres.partenaires.models import CallLog

    token, _secret = issue()
    member = UserFactory(profile=Profile.PERSONNE_MORALE)
    token.partner.members.add(member)
    now = timezone.now()
    for minutes, status, code in ((1, 200, ""), (2, 200, ""), (3, 404, "00404"), (70, 200, "")):
        CallLog.objects.create(
            token=token,
            at=now - dt.timedelta(minutes=minutes),
            method="GET",
            path="/api/v1/permis-de-conduire",
            params_hash="0" * 64,
            status_code=status,
            error_code=code,
            latency_ms=12,
            request_id=f"appel-{minutes:04d}",
        )
    login_as(page, member)
    page.goto("/partenaires/tableau-de-bord/")
    expect(page.locator("h1")).to_contain_text(token.partner.name)
    expect(page.get_by_role("table", name="Un jeton par démarche")).to_contain_text(token.key_id)
    expect(page.get_by_role("img", name="Les 10 dernières minutes, par minute")).to_be_visible()
    page.get_by_text("Voir les valeurs").first.click()
    expect(
        page.get_by_role("table", name="Les 20 dernières erreurs, avec leur code")
    ).to_contain_text("00404")
    check_a11y(page)


def test_swagger_ui_loads_from_this_site(page, live_server):
    blocked = []
    page.on("requestfailed", lambda r: blocked.append(r.url))
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto("/api/v1/docs")
    expect(page.get_by_text("API Titres pour les partenaires")).to_be_visible()
    expect(page.get_by_text("/api/v1/vehicule").first).to_be_visible()
    page.screenshot(path="var/screenshots/api-docs.png", full_page=False)
    assert outside == [] and blocked == []
