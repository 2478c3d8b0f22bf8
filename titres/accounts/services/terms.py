"""Terms of use: the current version, publication, correction, acceptance."""

from __future__ import annotations

import datetime

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.connection import ConnectionProxy

from titres.accounts.audit import AccountsEvent
from titres.core.journal import record_event

from ..models import TermsAcceptance, TermsVersion, User

TERMS_CACHE_KEY = "accounts:terms:current"
# Read on every request (TermsAcceptanceMiddleware): a copy of the database,
# so it uses the cache that degrades to a miss when Redis is unreachable.
cache = ConnectionProxy(caches, "soft")


def current_terms() -> TermsVersion | None:
    """The latest published version (cached one minute, cleared on publish)."""
    cached = cache.get(TERMS_CACHE_KEY)
    if cached is not None:
        return TermsVersion(pk=cached[0], version=cached[1]) if cached else None
    version = (
        TermsVersion.objects.filter(published_at__lte=timezone.now()).order_by("-version").first()
    )
    cache.set(TERMS_CACHE_KEY, (version.pk, version.version) if version else (), 60)
    return version


def current_terms_full() -> TermsVersion | None:
    current = current_terms()
    return TermsVersion.objects.filter(pk=current.pk).first() if current else None


def has_accepted(user: User, version: TermsVersion) -> bool:
    return TermsAcceptance.objects.filter(user=user, version_id=version.pk).exists()


@transaction.atomic
def publish_terms_version(
    *,
    actor: User | None,
    text: str,
    title: str = "Conditions générales d’utilisation",
    summary_of_changes: str = "",
    published_at: datetime.datetime | None = None,
    version: int | None = None,
    request=None,
) -> TermsVersion:
    if version is None:
        last = TermsVersion.objects.order_by("-version").first()
        version = (last.version + 1) if last else 1
    terms = TermsVersion.objects.create(
        version=version,
        title=title,
        text=text,
        summary_of_changes=summary_of_changes,
        published_at=published_at or timezone.now(),
    )
    record_event(
        AccountsEvent.TERMS_PUBLISHED,
        actor=actor,
        request=request,
        target=terms,
        data={"version": version, "published_at": terms.published_at.isoformat()},
    )
    transaction.on_commit(lambda: cache.delete(TERMS_CACHE_KEY))
    return terms


@transaction.atomic
def update_terms_version(
    *, terms: TermsVersion, actor: User, changed: list[str], request=None
) -> None:
    """A version not yet published corrected by an operator."""
    terms.save()
    record_event(
        AccountsEvent.TERMS_UPDATED,
        actor=actor,
        request=request,
        target=terms,
        data={"version": terms.version, "fields": changed},
    )
    transaction.on_commit(lambda: cache.delete(TERMS_CACHE_KEY))


@transaction.atomic
def accept_terms(*, user: User, version: TermsVersion, request=None) -> TermsAcceptance:
    acceptance, created = TermsAcceptance.objects.get_or_create(user=user, version_id=version.pk)
    if created:
        record_event(
            AccountsEvent.TERMS_ACCEPTED,
            actor=user,
            request=request,
            target=user,
            data={"version": version.version},
        )
    return acceptance
