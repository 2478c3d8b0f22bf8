"""Idle timeout of sessions without a database write on every page.

`SESSION_SAVE_EVERY_REQUEST` renewed the session (an UPDATE of the session
row and a cache write) on every request, read-only pages included. Now a
session is renewed when its last renewal is older than the refresh
interval (`SESSION_REFRESH_SECONDS`, default 60 s, never more than a tenth
of `SESSION_COOKIE_AGE`): it still ends `SESSION_COOKIE_AGE` after the last
renewal, so at most one interval earlier after the last click than before,
and pages tell the expiry warning the time actually left
(`remaining_seconds`)."""

import time

from django.conf import settings

RENEWED_KEY = "_renewed_at"


def refresh_interval() -> int:
    return max(1, min(settings.SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 10))


def renew(session) -> None:
    """Mark `session` renewed now: SessionMiddleware saves it, with a new
    expiry, at the end of the request."""
    session[RENEWED_KEY] = int(time.time())


def remaining_seconds(request) -> int:
    """Seconds before the session of `request` ends if nothing renews it."""
    store = getattr(request, "session", None)  # not `session`: read as an HTTP client
    renewed = store.get(RENEWED_KEY) if store is not None else None
    if renewed is None:
        return settings.SESSION_COOKIE_AGE
    return max(0, settings.SESSION_COOKIE_AGE - (int(time.time()) - renewed))


class SessionRenewalMiddleware:
    """Right after SessionMiddleware: renews a session that holds something
    once per refresh interval. Anonymous visitors without a session (or
    with an expired one) are not given one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        store = request.session
        if store.session_key is not None:
            renewed = store.get(RENEWED_KEY)  # loads it: an ended one reads as empty
            if not store.is_empty() and (
                renewed is None or int(time.time()) - renewed >= refresh_interval()
            ):
                renew(store)
        return self.get_response(request)
