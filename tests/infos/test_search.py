import pytest
from django.urls import reverse

from titres.infos import selectors
from titres.infos.enums import ArticleKind

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_search_finds_every_word_accent_insensitive_title_first(client):
    in_body = ArticleFactory(published=True, title_fr="Autre sujet", body_fr="Le timbre fiscal.")
    in_title = ArticleFactory(
        kind=ArticleKind.ACTUALITE, published=True, title_fr="Le timbre électronique", body_fr="x"
    )
    ArticleFactory(published=True, title_fr="Timbre seul", body_fr="rien d’autre")
    hits = selectors.search("TIMBRE electronique")
    assert [hit.article for hit in hits] == [in_title]
    hits = selectors.search("timbre")
    assert hits[-1].article == in_body
    page = client.get(reverse("infos:search"), {"q": "timbre"}).content.decode()
    assert "3 résultats pour « timbre »" in page
    assert reverse("infos:news_item", args=[in_title.slug]) in page


def test_search_query_is_bounded(client):
    assert len(selectors.query_words(" ".join(f"mot{i}" for i in range(30)))) == 8
    long = client.get(reverse("infos:search"), {"q": "a" * 101})
    assert "Saisissez 100 caractères au plus." in long.content.decode()
    short = client.get(reverse("infos:search"), {"q": "a"})
    assert "Saisissez au moins un mot de deux lettres." in short.content.decode()
    empty = client.get(reverse("infos:search"), {"q": ""})
    assert "Saisissez un ou plusieurs mots à rechercher." in empty.content.decode()


def test_search_results_are_paginated(client):
    for n in range(13):
        ArticleFactory(published=True, title_fr=f"Permis question {n}")
    first = client.get(reverse("infos:search"), {"q": "permis"}).content.decode()
    assert "13 résultats" in first
    assert first.count('class="fr-mb-3w"') == 10
    assert "page=2" in first and "q=permis" in first
    second = client.get(reverse("infos:search"), {"q": "permis", "page": 2}).content.decode()
    assert second.count('class="fr-mb-3w"') == 3


def test_search_is_rate_limited_per_address(client, monkeypatch):
    from titres.infos import views

    monkeypatch.setattr(views, "SEARCH_LIMIT", "2/minute")
    for _ in range(2):
        assert client.get(reverse("infos:search"), {"q": "permis"}).status_code == 200
    limited = client.get(reverse("infos:search"), {"q": "permis"})
    assert limited.status_code == 429
    assert "Trop de recherches depuis votre adresse réseau" in limited.content.decode()
