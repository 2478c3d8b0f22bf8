"""The home page's « Dernières actualités » block in a browser: the three
latest published news items, newest first, with their dates; drafts, items
scheduled for later and the fourth item left out; the link to every news
item, and each card opening its item. axe-core and the page checks (clipped
text, horizontal scroll at 375 px) on each page, with long titles."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

TITLES = [
    "Permis de conduire : la demande de duplicata après une perte se fait désormais en ligne",
    "Cartes grises : maintenance du système d’immatriculation dans la nuit de samedi",
    "Cartes d’identité : plus de créneaux de rendez-vous dans les mairies des Ardennes",
    "Timbres fiscaux électroniques : un nouveau reçu plus lisible",
]


@pytest.fixture
def news():
    """Four published items (one a day, newest first), a draft and an item
    scheduled for tomorrow."""
    from tests.infos.factories import ArticleFactory
    from titres.infos import latest
    from titres.infos.enums import ArticleKind, ArticleStatus

    now = timezone.now()
    items = [
        ArticleFactory(
            kind=ArticleKind.ACTUALITE,
            status=ArticleStatus.PUBLIE,
            slug=f"actualite-{index}",
            title_fr=title,
            summary_fr="Ce qui change pour vous, et ce que vous n’avez pas à faire.",
            published_at=now - timedelta(days=index + 1),
        )
        for index, title in enumerate(TITLES)
    ]
    ArticleFactory(
        kind=ArticleKind.ACTUALITE, slug="brouillon", title_fr="Actualité encore en brouillon"
    )
    ArticleFactory(
        kind=ArticleKind.ACTUALITE,
        status=ArticleStatus.PUBLIE,
        slug="demain",
        title_fr="Actualité programmée pour demain",
        published_at=now + timedelta(days=1),
    )
    # Rows written by factories, not by the services that forget the cache.
    latest.forget_cached()
    return items


def test_home_shows_the_three_latest_news_and_leads_to_them(page, check_a11y, news):
    page.goto("/")
    block = page.locator("section[aria-labelledby=actualites-titre]")
    expect(block.get_by_role("heading", level=2)).to_have_text("Dernières actualités")
    cards = block.locator(".fr-card")
    expect(cards).to_have_count(3)
    for card, item in zip(cards.all(), news[:3], strict=True):
        expect(card.get_by_role("heading", level=3)).to_have_text(item.title_fr)
        day = timezone.localtime(item.published_at).date()
        time = card.locator("time")
        expect(time).to_have_attribute("datetime", day.isoformat())
        expect(time).to_have_text(date_format(day, "j F Y"))
    for absent in (TITLES[3], "Actualité encore en brouillon", "Actualité programmée pour demain"):
        expect(block).not_to_contain_text(absent)
    check_a11y(page)

    block.get_by_role("link", name="Toutes les actualités").click()
    expect(page.locator("h1")).to_have_text("Actualités")
    for title in TITLES:
        expect(page.locator("main")).to_contain_text(title)
    expect(page.locator("main")).not_to_contain_text("Actualité programmée pour demain")
    check_a11y(page)

    page.goto("/")
    page.locator("section[aria-labelledby=actualites-titre]").get_by_role(
        "link", name=TITLES[1]
    ).click()
    expect(page.locator("h1")).to_have_text(TITLES[1])
    check_a11y(page)


def test_services_menu_leads_to_the_administrative_situation_certificate(page, check_a11y):
    page.goto("/")
    nav = page.locator("#header-navigation")
    nav.get_by_role("button", name="Services associés").click()
    link = nav.locator("#menu-services").get_by_role(
        "link", name="Certificat de situation administrative"
    )
    expect(link).to_be_visible()
    check_a11y(page)
    link.click()
    expect(page.locator("h1")).to_have_text("Obtenir un certificat de situation administrative")
    expect(nav.get_by_role("button", name="Services associés")).to_have_attribute(
        "aria-current", "true"
    )
    check_a11y(page)
