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


def test_partner_edits_contacts_renews_and_revokes_a_token(page, login_as, check_a11y):
    from tests.accounts.factories import UserFactory
    from tests.partenaires.factories import issue
    from titres.accounts.enums import Profile
    from titres.partenaires.models import ApiToken

    token, _secret = issue()
    member = UserFactory(profile=Profile.PERSONNE_MORALE)
    token.partner.members.add(member)
    login_as(page, member)
    page.goto("/partenaires/tableau-de-bord/")
    page.get_by_role("link", name="Modifier les contacts").click()
    expect(page.locator("h1")).to_have_text("Contacts de l’organisation")
    check_a11y(page)
    page.get_by_label("Courriel du responsable technique").fill("dsi@cc-exemple.fr")
    page.get_by_label("Téléphone du responsable métier").fill("12")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("numéro de téléphone français à 10 chiffres").first).to_be_visible()
    check_a11y(page)
    page.get_by_label("Téléphone du responsable métier").fill("03 83 00 00 02")
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text("Les coordonnées de vos responsables sont enregistrées.")
    ).to_be_visible()
    expect(page.get_by_role("table", name="Responsables technique et métier")).to_contain_text(
        "dsi@cc-exemple.fr"
    )

    page.get_by_role("link", name=f"Renouveler {token.key_id}").click()
    expect(page.locator("h1")).to_have_text("Renouveler un jeton")
    check_a11y(page)
    page.get_by_role("button", name="Renouveler le jeton").click()
    expect(page.locator("h1")).to_have_text("Nouveau jeton")
    new = ApiToken.objects.get(renewed_from=token)
    expect(page.locator("#token-secret")).to_contain_text(f"tit_{new.key_id}_")
    check_a11y(page)
    page.get_by_role("link", name="Révoquer l’ancien jeton").click()
    expect(page.locator("h1")).to_have_text("Révoquer un jeton")
    check_a11y(page)
    page.get_by_role("button", name="Révoquer le jeton").click()
    expect(page.get_by_text(f"Le jeton {token.key_id} est révoqué")).to_be_visible()
    check_a11y(page)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_public_status_page(page, check_a11y):
    from titres.partenaires.models import AvailabilityProbe

    now = timezone.now()
    AvailabilityProbe.objects.bulk_create(
        AvailabilityProbe(at=now - dt.timedelta(minutes=i), ok=i != 3, latency_ms=5)
        for i in range(1, 11)
    )
    page.goto("/partenaires/disponibilite/")
    expect(page.locator("h1")).to_have_text("Disponibilité de l’API Titres")
    table = page.get_by_role("table", name="Disponibilité mesurée par mois")
    expect(table).to_contain_text("90,000 %")
    expect(table).to_contain_text("Non tenu")
    expect(table).to_contain_text("Pas de mesure")
    check_a11y(page)
