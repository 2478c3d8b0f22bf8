"""Progressive lockout after repeated login failures, per account and per IP.

Counters live in the Django cache (Redis when REDIS_URL is set, so every app
server sees the same counters). `cache.add` + `cache.incr` are atomic on
Redis, so concurrent failures are all counted.

Per identifier: from the ACCOUNT_LOCKOUT_THRESHOLD-th consecutive failure,
the identifier is locked for ACCOUNT_LOCKOUT_BASE_SECONDS, doubled at every
further failure, up to ACCOUNT_LOCKOUT_MAX_SECONDS. A successful login (or a
password reset) clears the counter. The identifier is counted whether the
account exists or not, so the lockout reveals nothing.

Per IP address: the same rule with IP_LOCKOUT_THRESHOLD (higher, because
several people may share an address); successes do not clear it, the counter
expires ACCOUNT_LOCKOUT_WINDOW_SECONDS after the last failure.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

DEFAULTS = {
    "ACCOUNT_LOCKOUT_THRESHOLD": 5,
    "IP_LOCKOUT_THRESHOLD": 20,
    "ACCOUNT_LOCKOUT_BASE_SECONDS": 60,
    "ACCOUNT_LOCKOUT_MAX_SECONDS": 60 * 60,
    "ACCOUNT_LOCKOUT_WINDOW_SECONDS": 24 * 60 * 60,
}


def setting(name: str) -> int:
    return getattr(settings, name, DEFAULTS[name])


@dataclass(frozen=True)
class Lock:
    scope: str  # "account" or "ip"
    until: float  # UNIX time

    @property
    def seconds_left(self) -> int:
        return max(1, int(self.until - time.time() + 0.999))


def _key(scope: str, value: str, kind: str) -> str:
    digest = hashlib.sha256(value.casefold().encode()).hexdigest()[:32]
    return f"accounts:lockout:{kind}:{scope}:{digest}"


def _scopes(identifier: str, ip: str | None):
    yield "account", identifier.strip(), setting("ACCOUNT_LOCKOUT_THRESHOLD")
    if ip:
        yield "ip", ip, setting("IP_LOCKOUT_THRESHOLD")


def current_lock(identifier: str, ip: str | None) -> Lock | None:
    now = time.time()
    for scope, value, _threshold in _scopes(identifier, ip):
        until = cache.get(_key(scope, value, "until"))
        if until and until > now:
            return Lock(scope, until)
    return None


def register_failure(identifier: str, ip: str | None) -> Lock | None:
    """Count one failure; return the lock it triggers, if any."""
    window = setting("ACCOUNT_LOCKOUT_WINDOW_SECONDS")
    triggered = None
    for scope, value, threshold in _scopes(identifier, ip):
        count_key = _key(scope, value, "count")
        cache.add(count_key, 0, window)
        try:
            count = cache.incr(count_key)
        except ValueError:  # expired between add and incr
            cache.set(count_key, 1, window)
            count = 1
        cache.touch(count_key, window)
        if count >= threshold:
            duration = min(
                setting("ACCOUNT_LOCKOUT_BASE_SECONDS") * 2 ** (count - threshold),
                setting("ACCOUNT_LOCKOUT_MAX_SECONDS"),
            )
            lock = Lock(scope, time.time() + duration)
            cache.set(_key(scope, value, "until"), lock.until, duration)
            triggered = triggered or lock
    return triggered


def clear_account(identifier: str) -> None:
    cache.delete_many(
        [_key("account", identifier.strip(), "count"), _key("account", identifier.strip(), "until")]
    )
