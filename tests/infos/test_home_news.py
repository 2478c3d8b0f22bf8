"""The latest news block of the home page: the three latest published items
with their dates and a link to all news; drafts and scheduled items hidden
until their date; cached, yet fresh after a write and at a scheduled date."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from titres.infos import latest, services
from titres.infos.enums import ArticleKind, ArticleStatus

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    latest.forget_cached()
    yield
    latest.forget_cached()


def news(slug, days_ago, **fields):
    return ArticleFactory(
        kind=ArticleKind.ACTUALITE,
        published=True,
        slug=slug,
        title_fr=f"Actualité {slug}",
        published_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


def test_home_shows_the_three_latest_published_news_with_dates_and_a_link_to_all(client):
    for index in range(5):
        news(f"n{index}", days_ago=index + 1)
    ArticleFactory(kind=ArticleKind.ACTUALITE, slug="brouillon", title_fr="Actualité brouillon")
    page = client.get(reverse("core:home")).content.decode()
    assert "Dernières actualités</h2>" in page
    shown = [s for s in ("n0", "n1", "n2", "n3", "n4") if f"Actualité {s}<" in page]
    assert shown == ["n0", "n1", "n2"]
    assert page.index("Actualité n0<") < page.index("Actualité n1<") < page.index("Actualité n2<")
    assert "Actualité brouillon" not in page
    day = timezone.localtime(timezone.now() - timedelta(days=1)).date()
    assert f'<time datetime="{day.isoformat()}">' in page
    assert f'href="{reverse("infos:news_item", args=["n0"])}"' in page
    assert f'href="{reverse("infos:news")}"' in page


def test_no_block_without_news(client):
    page = client.get(reverse("core:home")).content.decode()
    assert "Dernières actualités" not in page


def test_a_publication_shows_at_once_and_a_withdrawal_hides_it(client):
    item = ArticleFactory(kind=ArticleKind.ACTUALITE, slug="bientot", title_fr="Actualité bientôt")
    assert "Actualité bientôt" not in client.get(reverse("core:home")).content.decode()
    services.set_status(article=item, status=ArticleStatus.PUBLIE, actor=None)
    assert "Actualité bientôt" in client.get(reverse("core:home")).content.decode()
    services.set_status(article=item, status=ArticleStatus.BROUILLON, actor=None)
    assert "Actualité bientôt" not in client.get(reverse("core:home")).content.decode()


def test_a_scheduled_item_appears_at_its_date_although_cached(django_assert_num_queries):
    now = timezone.now()
    news("ancienne", days_ago=3)
    news("programmee", days_ago=-1)  # publication date tomorrow
    assert [a.slug for a in latest.home_news(now=now)] == ["ancienne"]
    with django_assert_num_queries(0):
        assert [a.slug for a in latest.home_news(now=now + timedelta(hours=1))] == ["ancienne"]
    later = now + timedelta(days=1, minutes=1)
    assert [a.slug for a in latest.home_news(now=later)] == ["programmee", "ancienne"]
