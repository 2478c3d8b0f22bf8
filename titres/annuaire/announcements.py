"""Which announcements a person reads, and where.

The home page shows every current announcement for the reader's audience;
every page shows the planned maintenance ones from their announcement until
the end of the work (a DSFR notice under the header).

The announcements not ended yet are read at most once every CACHE_TTL
seconds per process (a few rows); the dates are compared at each request,
so an announcement appears at its start time to the second."""

from __future__ import annotations

import threading
import time

from django.utils import timezone

from .enums import AnnouncementKind, Audience

CACHE_TTL = 30.0
MAX_SHOWN = 20
_cache: dict[str, tuple[float, list]] = {}
_lock = threading.Lock()

PROFESSIONAL_PROFILES = {"pro_siv", "auto_ecole", "centre_sensibilisation", "personne_morale"}


def forget_cached() -> None:
    with _lock:
        _cache.clear()


def prime(rows: list | None = None) -> None:
    """Take `rows` as read just now (tests whose query counts are pinned)."""
    with _lock:
        _cache["rows"] = (time.monotonic() + CACHE_TTL, list(rows or []))


def _not_ended() -> list:
    from .models import Announcement

    now_monotonic = time.monotonic()
    with _lock:
        cached = _cache.get("rows")
        if cached and cached[0] > now_monotonic:
            return cached[1]
    now = timezone.now()
    rows = list(
        Announcement.objects.filter(withdrawn_at__isnull=True)
        .exclude(ends_at__lte=now)
        .order_by("starts_at", "id")[:200]
    )
    with _lock:
        _cache["rows"] = (now_monotonic + CACHE_TTL, rows)
    return rows


def audiences_of(user) -> set[str]:
    """The audiences a person belongs to (operators read them all)."""
    if user is None or not user.is_authenticated:
        return {Audience.TOUS, Audience.USAGERS}
    if user.is_staff:
        return set(Audience.values)
    from titres.instruction.auth import is_agent

    if is_agent(user):
        return {Audience.TOUS, Audience.AGENTS}
    profile = getattr(user, "profile", "")
    if profile == "mairie":
        return {Audience.TOUS, Audience.MAIRIES}
    if profile in PROFESSIONAL_PROFILES:
        return {Audience.TOUS, Audience.PROFESSIONNELS}
    return {Audience.TOUS, Audience.USAGERS}


def current_for(user, *, maintenance_only: bool = False, now=None) -> list:
    now = now or timezone.now()
    rows = [
        a
        for a in _not_ended()
        if a.starts_at <= now
        and (a.ends_at is None or a.ends_at > now)
        and (not maintenance_only or a.kind == AnnouncementKind.MAINTENANCE)
    ]
    if not rows:
        return []
    audiences = audiences_of(user)
    return [a for a in rows if a.audience in audiences][:MAX_SHOWN]
