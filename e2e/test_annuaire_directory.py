"""Browser journeys of the geolocated directory (issue 12): search by postal
code and see the nearest first with the map; "Autour de moi" with the
position granted in the browser context; an operator imports a CSV file and
reads the report line by line."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _places(db):
    from tests.annuaire.factories import DirectoryEntryFactory
    from titres.annuaire.geo import ensure_commune_centres

    ensure_commune_centres()
    DirectoryEntryFactory(
        name="Studio Photo Ducale",
        latitude=49.7733,
        longitude=4.7206,
        phone="03 24 33 10 10",
        opening_hours="du mardi au samedi 9:00–19:00",
    )
    DirectoryEntryFactory(
        name="Cabine de la gare de Sedan",
        kind="cabine",
        postal_code="08200",
        commune="Sedan",
        insee_code="08409",
        latitude=49.6996,
        longitude=4.9290,
    )
    DirectoryEntryFactory(
        name="Point numérique de Reims",
        kind="point_numerique",
        postal_code="51100",
        commune="Reims",
        insee_code="51454",
        departement_code="51",
        latitude=49.2583,
        longitude=4.0317,
    )
    DirectoryEntryFactory(
        name="Photo Terreaux",
        postal_code="69001",
        commune="Lyon",
        insee_code="69123",
        departement_code="69",
        latitude=45.7676,
        longitude=4.8336,
    )


def test_search_by_postal_code_nearest_first_with_the_map(page, check_a11y):
    page.goto("/")
    page.get_by_role("button", name="Services associés").click()  # the header menu
    page.get_by_role("link", name="Trouver un lieu").first.click()
    expect(page.locator("h1")).to_have_text("Trouver un lieu près de chez vous")
    check_a11y(page)
    page.get_by_label("Code postal ou commune").fill("08200")
    page.get_by_role("button", name="Rechercher").click()
    results = page.locator(".annuaire-result h3")
    expect(results.first).to_contain_text("Cabine de la gare de Sedan")
    expect(results.nth(1)).to_contain_text("Studio Photo Ducale")
    expect(results.nth(3)).to_contain_text("Photo Terreaux")
    expect(page.locator(".annuaire-result").first).to_contain_text("km")
    expect(page.locator(".annuaire-map__marker")).to_have_count(4)
    check_a11y(page)
    # Filter: photographers only.
    page.locator("label[for=id_types_1]").click()
    page.get_by_role("button", name="Rechercher").click()
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("Studio Photo Ducale")
    check_a11y(page)
    # A wrong postal code: the error next to the field and in the summary.
    page.get_by_label("Code postal ou commune").fill("99999")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator(".fr-error-text")).to_contain_text("Le code postal 99999 n’existe pas.")
    check_a11y(page)


def test_around_me_with_the_position_granted(browser, live_server, check_a11y):
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        geolocation={"latitude": 45.764, "longitude": 4.8357},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto("/annuaire/")
    page.get_by_role("button", name="Autour de moi").click()
    expect(page.locator("#results-title")).to_contain_text("votre position")
    results = page.locator(".annuaire-result h3")
    expect(results.first).to_contain_text("Photo Terreaux")
    expect(results.nth(1)).to_contain_text("Point numérique de Reims")
    assert "latitude=45.76" in page.url and "longitude=4.84" in page.url
    check_a11y(page)
    context.close()


def test_without_javascript_the_search_still_works(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/annuaire/")
    expect(page.get_by_role("button", name="Autour de moi")).to_be_hidden()
    page.get_by_label("Code postal ou commune").fill("Saint-Laurent")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator(".fr-error-text")).to_contain_text("Plusieurs communes correspondent")
    page.get_by_role("link", name="08090 Saint-Laurent").click()
    expect(page.locator(".annuaire-result h3").first).to_contain_text("Studio Photo Ducale")
    context.close()


def test_operator_imports_a_csv_and_reads_the_report(browser, live_server, tmp_path):
    from django.conf import settings
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.factories import UserFactory

    operator = UserFactory(operator=True, username="operatrice")
    device = TOTPDevice.objects.create(user=operator, name="Application", confirmed=True)
    client = Client()
    client.force_login(operator)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    page = browser.new_page(base_url=live_server.url, locale="fr-FR")
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )
    csv_file = tmp_path / "lieux.csv"
    csv_file.write_text(
        "type;identifiant;nom;adresse;code_postal;commune;telephone;horaires;latitude;longitude\n"
        "photographe;AGR-1;Studio Neuf;1 rue Neuve;08000;Charleville-Mézières;;;;\n"
        "garage;AGR-2;Garage;1 rue;08000;Charleville-Mézières;;;;\n",
        encoding="utf-8",
    )
    page.goto("/gestion/annuaire/importreport/importer/")
    page.set_input_files("input[name=fichier]", str(csv_file))
    page.click("input[type=submit]")
    expect(page.locator("body")).to_contain_text("créée")
    expect(page.locator("body")).to_contain_text(
        "Type « garage » inconnu : photographe, cabine ou point_numerique."
    )
    page.goto("/annuaire/?lieu=08000")
    expect(page.locator(".annuaire-result h3").first).to_contain_text("Studio")
    page.close()


def test_ephoto_code_checker(page, check_a11y):
    from tests.permis.factories import EPhotoFactory
    from titres.permis.identifiers import format_ephoto_code

    valid = EPhotoFactory()
    used = EPhotoFactory(used=True)
    page.goto("/annuaire/code-photo/")
    check_a11y(page)
    page.get_by_label("Code photo numérique").fill(format_ephoto_code(valid.code))
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("est valide")
    check_a11y(page)
    page.get_by_label("Code photo numérique").fill(used.code)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator(".fr-error-text")).to_contain_text("déjà été utilisé")
    check_a11y(page)
