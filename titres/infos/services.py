"""Every write of the information pages: atomic, one journal entry each
(titres/infos/audit.py). The operators' admin calls these; nothing else
saves an Article."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from titres.core.journal import record_event

from . import latest
from .audit import InfosEvent
from .enums import ArticleStatus
from .models import Article

EDITABLE_FIELDS = (
    "kind",
    "status",
    "slug",
    "topic",
    "procedure_code",
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
    "body_fr",
    "body_en",
    "position",
    "published_at",
)


def _publication_event(before: str | None, article: Article) -> InfosEvent | None:
    if article.status == before:
        return None
    if article.status == ArticleStatus.PUBLIE:
        return InfosEvent.ARTICLE_PUBLISHED
    if before == ArticleStatus.PUBLIE:
        return InfosEvent.ARTICLE_UNPUBLISHED
    return None


def _stamp_publication(article: Article) -> None:
    # Published without a date: it appears now. A future date schedules it.
    if article.status == ArticleStatus.PUBLIE and article.published_at is None:
        # To the second: the admin form shows and sends seconds, so a later save
        # of the same form does not read as a change of date.
        article.published_at = timezone.now().replace(microsecond=0)


@transaction.atomic
def create_article(*, actor, request=None, **fields) -> Article:
    """A new question, guide or news item (draft unless `status` says
    published). One event `article_created`, plus `article_published` when it
    is published at once (the journal then reads like the page's life)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    article = Article(**fields)
    _stamp_publication(article)
    article.full_clean()
    article.save()
    # The home page's latest news are cached (latest.py): read them again.
    transaction.on_commit(latest.forget_cached)
    record_event(
        InfosEvent.ARTICLE_CREATED,
        actor=actor,
        request=request,
        target=article,
        data={"kind": article.kind, "slug": article.slug, "status": article.status},
    )
    if article.status == ArticleStatus.PUBLIE:
        record_event(
            InfosEvent.ARTICLE_PUBLISHED,
            actor=actor,
            request=request,
            target=article,
            data={"published_at": article.published_at.isoformat()},
        )
    return article


@transaction.atomic
def update_article(*, article: Article, actor, request=None, **fields) -> Article:
    """Apply an operator's edit. One event: `article_published` or
    `article_unpublished` when the state changes (with the other fields
    changed), else `article_changed`; nothing when nothing changed."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    # Compare with what is stored: the admin form has already set the new
    # values on `article` before calling this.
    stored = Article.objects.get(pk=article.pk)
    before = {name: getattr(stored, name) for name in EDITABLE_FIELDS}
    for name, value in fields.items():
        setattr(article, name, value)
    _stamp_publication(article)
    changed = sorted(name for name in EDITABLE_FIELDS if getattr(article, name) != before[name])
    if not changed:
        return article
    article.full_clean()
    article.save()
    transaction.on_commit(latest.forget_cached)
    event = _publication_event(stored.status, article) or InfosEvent.ARTICLE_CHANGED
    record_event(
        event,
        actor=actor,
        request=request,
        target=article,
        data={"fields": changed, "status": article.status},
    )
    return article


def set_status(*, article: Article, status: str, actor, request=None) -> Article:
    """Publish or withdraw (back to draft) from the list's actions."""
    return update_article(article=article, actor=actor, request=request, status=status)
