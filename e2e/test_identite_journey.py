"""Browser journeys of the ID card / passport pré-demande (issue 11): a
citizen files a passport pré-demande with a stamp, searches slots near a
postal code, books and receives the e-mail; a second booking elsewhere is
stopped with the first appointment shown; the town hall finds the file by
number at the counter and records it; the CERT validates, the factory
produces (services, the back office has its own journeys), the town hall
hands the title over → "Terminée". A minor's pré-demande filed by a parent.
axe-core on every page, screenshots at 1280 and 375 px."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.journeys import screenshots

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

EMAIL = "lea.durand@example.fr"


@pytest.fixture(autouse=True)
def _commune_centres(db):
    """The slot search places a postal code at its commune's centre
    (titres/annuaire): the flush of transactional tests empties that table."""
    from titres.annuaire.geo import ensure_commune_centres

    ensure_commune_centres()


def shoot(page, name):
    screenshots(page, f"identite-{name}")


def _town_halls():
    from tests.identite.factories import MairieFactory
    from tests.identite.helpers import bookable_device

    lyon = bookable_device(name="Mairie de Lyon 1er", mairie=MairieFactory(username="mairie.lyon"))
    bron = bookable_device(
        name="Mairie de Bron",
        latitude=45.7386,
        longitude=4.9133,
        postal_code="69500",
        insee_code="69029",
    )
    return lyon, bron


def _next(page):
    page.get_by_role("button", name="Étape suivante").click()


def _fill_common(page, check_a11y, *, birth="12/04/1990"):
    check_a11y(page)
    page.get_by_label("Nom de naissance", exact=True).fill("Durand")
    page.get_by_label("1er prénom").fill("Léa")
    page.get_by_text("Femme", exact=True).click()
    page.get_by_label("Date de naissance").fill(birth)
    page.get_by_label("Code postal du lieu de naissance").fill("69001")
    page.get_by_label("Commune de naissance").fill("Lyon")
    page.get_by_label("Nationalité française").select_option("filiation")
    _next(page)
    check_a11y(page)
    page.get_by_label("Taille (en centimètres)").fill("168")
    page.get_by_label("Couleur des yeux").select_option("marron")
    _next(page)
    check_a11y(page)
    page.get_by_label("Numéro et voie").fill("12 rue de la République")
    page.get_by_label("Code postal", exact=True).fill("69001")
    page.locator("#id_commune").fill("Lyon")
    page.get_by_label("Adresse électronique").fill(EMAIL)
    _next(page)
    check_a11y(page)
    page.get_by_label("Père — nom de naissance").fill("Durand")
    page.get_by_label("Père — prénoms").fill("Paul")
    page.get_by_text("Mère inconnu(e)").click()
    _next(page)


def _start(page, check_a11y):
    page.goto("/demarches/nouvelle/identite/")
    check_a11y(page)
    page.get_by_role(
        "button", name="Commencer — Pré-demande de carte d’identité ou de passeport"
    ).click()
    check_a11y(page)


def test_passport_predemande_booking_counter_and_handover(
    page, check_a11y, login_as, mailbox, browser, live_server
):
    from tests.accounts.factories import UserFactory
    from tests.identite.wizard_helpers import stamp

    lyon, bron = _town_halls()
    citizen = UserFactory(email=EMAIL)
    login_as(page, citizen)
    bought = stamp("passeport_majeur")

    _start(page, check_a11y)
    page.get_by_text("Passeport", exact=True).click()
    page.get_by_text("Première demande", exact=True).click()
    page.get_by_text("Pour moi-même", exact=True).click()
    _next(page)
    _fill_common(page, check_a11y)
    # Timbre fiscal: passport, adult, 86 €.
    check_a11y(page)
    page.get_by_label("Numéro du timbre fiscal électronique — Passeport (86,00 €)").fill(
        bought.number
    )
    _next(page)
    check_a11y(page)
    page.get_by_text("Je soussigné(e) atteste sur l’honneur").click()
    page.get_by_role("button", name="Valider ma demande").click()

    expect(page.get_by_role("heading", name="Pré-demande enregistrée")).to_be_visible()
    check_a11y(page)
    shoot(page, "confirmation")
    from titres.identite.models import PreDemande

    predemande = PreDemande.objects.get(owner=citizen)
    expect(page.get_by_text(predemande.number[:4])).to_be_visible()

    page.get_by_role("link", name="Prendre rendez-vous en mairie").click()
    page.get_by_label("Code postal ou commune").fill("69001")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="Mairie de Lyon 1er")).to_be_visible()
    check_a11y(page)
    shoot(page, "search")
    page.locator(
        f"#mp-{lyon.meeting_point_id} ~ ul a.fr-tag, section[aria-labelledby='mp-{lyon.meeting_point_id}'] a.fr-tag"
    ).first.click()
    check_a11y(page)
    expect(page.get_by_label("Numéros de pré-demande")).to_have_value(predemande.number)
    shoot(page, "book")
    page.get_by_role("button", name="Confirmer le rendez-vous").click()
    expect(page.get_by_text("Votre rendez-vous est réservé.")).to_be_visible()
    check_a11y(page)
    shoot(page, "manage")
    message = mailbox.last_to(EMAIL)
    assert "Mairie de Lyon 1er" in message.body

    # A second booking elsewhere is stopped, the first one shown.
    page.goto("/identite/rendez-vous/?lieu=69500&rayon=5&personnes=1&numeros=" + predemande.number)
    page.locator(f"section[aria-labelledby='mp-{bron.meeting_point_id}'] a.fr-tag").first.click()
    page.get_by_role("button", name="Confirmer le rendez-vous").click()
    expect(page.get_by_role("heading", name="Un rendez-vous est déjà réservé")).to_be_visible()
    expect(page.locator("#rdv-existing")).to_contain_text("Mairie de Lyon 1er")
    check_a11y(page)
    shoot(page, "already-booked")

    # The town hall at its counter.
    mairie_page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    login_as(mairie_page, lyon.meeting_point.mairie)
    mairie_page.goto("/identite/mairie/agenda/?vue=semaine")
    check_a11y(mairie_page)
    shoot(mairie_page, "agenda")
    mairie_page.goto("/identite/mairie/guichet/")
    check_a11y(mairie_page)
    mairie_page.get_by_label("Numéro de pré-demande").fill(predemande.number.lower())
    mairie_page.get_by_role("button", name="Rechercher").click()
    expect(
        mairie_page.get_by_role("heading", name=f"Pré-demande {predemande.number}")
    ).to_be_visible()
    check_a11y(mairie_page)
    shoot(mairie_page, "counter-file")
    mairie_page.get_by_role("button", name="Dossier recueilli").click()
    expect(mairie_page.get_by_text("il est transmis au CERT pour instruction")).to_be_visible()
    predemande.refresh_from_db()
    assert predemande.status == "consumed"

    # The CERT validates and transmits (back-office services: the back
    # office's own journeys drive its pages); the local factory produces
    # and delivers to the town hall.
    from tests.instruction.factories import AgentMembershipFactory
    from titres.instruction import services as instruction
    from titres.procedures.enums import Status

    demarche = predemande.demarche
    demarche.refresh_from_db()
    assert demarche.authority.code == "CERT-TES"
    agent = AgentMembershipFactory(authority=demarche.authority).user
    agent.is_verified = lambda: True  # as django-otp marks a session past its TOTP
    instruction.take(demarche=demarche, agent=agent)
    instruction.validate(demarche=demarche, agent=agent)
    instruction.transmit(demarche=demarche, agent=agent)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_PRODUCTION
    assert "disponible" in mailbox.last_to(EMAIL).subject

    mairie_page.goto("/identite/mairie/titres/")
    check_a11y(mairie_page)
    shoot(mairie_page, "deliveries")
    mairie_page.get_by_role("button", name="Remis").click()
    expect(mairie_page.get_by_text("Titre remis : la démarche est terminée.")).to_be_visible()
    demarche.refresh_from_db()
    assert demarche.status == Status.TERMINEE


def test_a_parent_files_for_a_minor(page, check_a11y, login_as):
    from tests.accounts.factories import UserFactory

    login_as(page, UserFactory(first_name="Paul", last_name="Durand"))
    _start(page, check_a11y)
    page.get_by_text("Carte nationale d’identité", exact=True).click()
    page.get_by_text("Première demande", exact=True).click()
    page.get_by_text("Pour un enfant mineur que je représente", exact=True).click()
    _next(page)
    check_a11y(page)
    expect(page.get_by_label("Nom de naissance")).to_have_value("DURAND")
    page.get_by_label("Date de naissance").fill("01/02/1960")
    page.get_by_text("Père", exact=True).click()
    page.get_by_text("J’exerce l’autorité parentale").click()
    _next(page)
    ten = (timezone.localdate() - datetime.timedelta(days=365 * 10)).strftime("%d/%m/%Y")
    _fill_common(page, check_a11y, birth=ten)
    check_a11y(page)
    page.get_by_text("Je soussigné(e) atteste sur l’honneur").click()
    page.get_by_role("button", name="Valider ma demande").click()
    expect(page.get_by_role("heading", name="Pré-demande enregistrée")).to_be_visible()
    check_a11y(page)
