"""The latest news on the home page, cheap enough for the most visited page
(tests/core/test_page_queries.py pins it at zero queries once warm).

The three latest published news items are read at most once every
CACHE_TTL seconds per process, and again as soon as a scheduled item's
publication date is reached (the date of the next one is kept with the
rows), so a scheduled item appears on time. A write in this process
forgets the rows at commit (services.py); other processes see it within
CACHE_TTL."""

from __future__ import annotations

import threading
import time
from datetime import datetime

from django.utils import timezone

from .enums import ArticleKind, ArticleStatus
from .models import Article

HOME_NEWS = 3
CACHE_TTL = 60.0
_cache: dict[str, tuple[float, datetime | None, list[Article]]] = {}
_lock = threading.Lock()


def forget_cached() -> None:
    with _lock:
        _cache.clear()


def home_news(now: datetime | None = None) -> list[Article]:
    now = now or timezone.now()
    now_monotonic = time.monotonic()
    with _lock:
        cached = _cache.get("news")
    if cached and cached[0] > now_monotonic and (cached[1] is None or cached[1] > now):
        return cached[2]
    news = Article.objects.filter(kind=ArticleKind.ACTUALITE, status=ArticleStatus.PUBLIE)
    rows = list(news.filter(published_at__lte=now).order_by("-published_at", "-pk")[:HOME_NEWS])
    next_publication = (
        news.filter(published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    with _lock:
        _cache["news"] = (now_monotonic + CACHE_TTL, next_publication, rows)
    return rows


def prime(rows: list[Article] | None = None) -> None:
    """Take `rows` as read just now (tests whose query counts are pinned)."""
    with _lock:
        _cache["news"] = (time.monotonic() + CACHE_TTL, None, list(rows or []))
