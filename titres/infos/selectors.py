"""Reads of the information pages, limited to what the public may see
(published, publication date reached), and the search."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db.models import QuerySet

from . import markdown
from .enums import ArticleKind
from .models import Article

QUERY_MAX_CHARS = 100
QUERY_MAX_WORDS = 8
EXCERPT_CHARS = 220


def published(kind: str | None = None) -> QuerySet[Article]:
    articles = Article.objects.published()
    return articles.filter(kind=kind) if kind else articles


def faq() -> QuerySet[Article]:
    return published(ArticleKind.FAQ).order_by("topic", "position", "pk")


def guides() -> QuerySet[Article]:
    return published(ArticleKind.GUIDE).order_by("position", "title_fr")


def news() -> QuerySet[Article]:
    return published(ArticleKind.ACTUALITE).order_by("-published_at", "-pk")


def fold(text: str) -> str:
    """Lower case without accents: « Été » and « ete » match."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def query_words(query: str) -> list[str]:
    """The words searched: at most QUERY_MAX_CHARS characters and
    QUERY_MAX_WORDS words are read; one-letter words are ignored."""
    words = [w for w in fold(query[:QUERY_MAX_CHARS]).split() if len(w) > 1]
    return list(dict.fromkeys(words))[:QUERY_MAX_WORDS]


@dataclass(frozen=True)
class Hit:
    article: Article
    excerpt: str
    score: int


def search(query: str) -> list[Hit]:
    """Published pages holding every word of the query (title, summary or
    text, French and English), best first: words in the title count most.

    Done in Python over the published pages, which the operators write by
    hand (tens, a few hundred at most): accent-insensitive on every
    database, no index to keep. Past a few thousand pages, move it to the
    database's full-text search."""
    words = query_words(query)
    if not words:
        return []
    hits = []
    for article in published().order_by("-published_at", "pk"):
        title = fold(f"{article.title_fr} {article.title_en}")
        summary = fold(f"{article.summary_fr} {article.summary_en}")
        body = fold(f"{article.body_fr} {article.body_en}")
        score = 0
        for word in words:
            if word in title:
                score += 3
            elif word in summary:
                score += 2
            elif word in body:
                score += 1
            else:
                break
        else:
            hits.append(Hit(article, _excerpt(article, words), score))
    hits.sort(key=lambda hit: -hit.score)
    return hits


def _excerpt(article: Article, words: list[str]) -> str:
    if article.summary:
        return article.summary
    text = markdown.plain(article.body)
    folded = fold(text)
    starts = [folded.find(w) for w in words if folded.find(w) >= 0]
    start = max(0, min(starts) - 60) if starts else 0
    excerpt = text[start : start + EXCERPT_CHARS]
    return ("… " if start else "") + excerpt + (" …" if start + EXCERPT_CHARS < len(text) else "")
