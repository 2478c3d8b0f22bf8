"""Browser journeys of the information pages (issue 12): a visitor goes from
the header to the FAQ, opens an answer, searches the help, reads a guide with
its fees, the news and the CERFA forms, then every legal page of the footer;
an operator writes a question in /gestion/ and publishes it. axe-core and the
page checks on every page."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _content(db):
    from titres.infos import demo

    demo.load()


def test_visitor_reads_faq_search_guide_news_and_cerfa(page, check_a11y):
    page.goto("/")
    page.get_by_role("link", name="Questions fréquentes").first.click()
    expect(page.locator("h1")).to_have_text("Questions fréquentes")
    question = page.get_by_role("button", name="Comment suivre ma demande ?")
    question.click()
    expect(question).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_text("En attente télédéclarant").first).to_be_visible()
    check_a11y(page)

    page.get_by_label("Rechercher dans l’aide").fill("timbre")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("h2#resultats")).to_contain_text("pour « timbre »")
    check_a11y(page)

    page.get_by_role("link", name="Tout savoir", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Tout savoir sur vos démarches")
    check_a11y(page)
    page.get_by_role(
        "link", name="Acheter un véhicule d’occasion : la carte grise à son nom"
    ).click()
    expect(page.get_by_role("heading", name="Combien ça coûte ?")).to_be_visible()
    expect(page.get_by_role("cell", name="Île-de-France")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Commencer la démarche").is_visible()

    page.goto("/tout-savoir/")
    page.get_by_role("link", name="Toutes les actualités").click()
    expect(page.locator("h1")).to_have_text("Actualités")
    check_a11y(page)
    page.get_by_role("link", name="Des guides pour chaque démarche").click()
    expect(page.locator("h1")).to_have_text("Des guides pour chaque démarche")
    check_a11y(page)

    page.get_by_role("button", name="Services associés").click()
    page.get_by_role("link", name="Formulaires CERFA").first.click()
    expect(page.get_by_role("cell", name="15776")).to_be_visible()
    check_a11y(page)


def test_guides_of_the_newer_procedures_show_who_cost_and_start(page, check_a11y):
    """Extension, exchange, address change, duplicate: each guide from the
    list, its fees table (the duplicate's total from the tax table) and its
    start button."""
    from titres.paiements.models import format_amount
    from titres.vehicules import taxes

    total = format_amount(
        taxes.compute_duplicate(on=__import__("datetime").date.today()).total_cents
    )
    for title, cell in (
        ("Ajouter une catégorie à son permis (moto, remorque, poids lourd…)", "Gratuit"),
        ("Échanger un permis étranger contre un permis français", "Gratuit"),
        ("Changer l’adresse de sa carte grise", "Gratuit"),
        ("Carte grise perdue, volée ou abîmée : demander un duplicata", total),
    ):
        page.goto("/tout-savoir/")
        page.get_by_role("link", name=title).click()
        expect(page.locator("h1")).to_have_text(title)
        expect(page.get_by_role("heading", name="Qui peut faire la démarche")).to_be_visible()
        expect(page.get_by_role("cell", name=cell).first).to_be_visible()
        expect(page.get_by_role("link", name="Commencer la démarche")).to_be_visible()
        check_a11y(page)


@pytest.mark.parametrize(
    ("link", "heading"),
    [
        ("Mentions légales", "Mentions légales"),
        ("Données personnelles", "Données personnelles"),
        ("Gestion des cookies", "Gestion des cookies"),
        ("Plan du site", "Plan du site"),
        ("Accessibilité : non conforme", "Déclaration d’accessibilité"),
    ],
)
def test_footer_legal_pages(page, check_a11y, link, heading):
    page.goto("/")
    page.locator("footer").get_by_role("link", name=link).click()
    expect(page.locator("h1")).to_have_text(heading)
    check_a11y(page)


def test_operator_writes_and_publishes_a_question(browser, live_server):
    from django.conf import settings
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.factories import UserFactory

    operator = UserFactory(operator=True, username="operatrice.infos")
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
    page.goto("/gestion/infos/article/add/")
    page.get_by_label("Type").select_option("faq")
    page.get_by_label("Titre (français)").fill("Puis-je changer l’adresse de ma carte grise ?")
    page.get_by_label("Adresse (slug)").fill("adresse-carte-grise")
    page.get_by_label("Thème").select_option("immatriculation")
    page.get_by_label("Texte (français, Markdown)").fill("Oui, **gratuitement**, en ligne.")
    page.get_by_label("État").select_option("publie")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("ajouté")
    visitor = browser.new_page(base_url=live_server.url, locale="fr-FR")
    visitor.goto("/questions-frequentes/#adresse-carte-grise")
    expect(
        visitor.get_by_role("button", name="Puis-je changer l’adresse de ma carte grise ?")
    ).to_be_visible()
    visitor.close()
    page.close()
