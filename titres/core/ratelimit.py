"""Rate limits of public endpoints (e-mails sent, secrets tried), with the
`limits` library and its moving-window strategy: "3/hour" means at most 3
hits in any 60-minute span, not 3 per clock hour.

Storage: Redis when settings.REDIS_URL is set (every app server shares the
counters; limits' redis storage accepts the same redis:// URL as the cache),
else the process memory (development, tests; one process = one counter).
The limiter is created on first use and kept per process; `reset()` drops it
(tests, or after a fork).

Keys: `<CACHES.default.KEY_PREFIX>:<scope>:<sha256(key)>` - the prefix keeps
test runs (which change it per test) and several portals on one Redis apart;
the hash keeps e-mail addresses and IP addresses out of Redis.

If the storage cannot be reached, the hit is allowed (and logged): losing the
limit for a moment is better than refusing every password reset.

    from titres.core import ratelimit
    if not ratelimit.hit("accounts:password_reset:ip", ip, "20/hour"):
        ...  # limited
"""

import hashlib
import logging
import os
import threading

from django.conf import settings
from limits import parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_limiter: MovingWindowRateLimiter | None = None
_storage: Storage | None = None
_pid: int | None = None


def _get_limiter() -> MovingWindowRateLimiter:
    global _limiter, _storage, _pid
    # A forked worker must not share the parent's connection pool.
    if _limiter is None or _pid != os.getpid():
        with _lock:
            if _limiter is None or _pid != os.getpid():
                url = getattr(settings, "REDIS_URL", "") or ""
                _storage = storage_from_string(url) if url else MemoryStorage()
                _limiter = MovingWindowRateLimiter(_storage)
                _pid = os.getpid()
    return _limiter


def reset() -> None:
    """Forget the limiter (and, in memory, every counter)."""
    global _limiter, _storage, _pid
    with _lock:
        if isinstance(_storage, MemoryStorage):
            _storage.reset()
        _limiter = _storage = _pid = None


def _prefix() -> str:
    return str(settings.CACHES.get("default", {}).get("KEY_PREFIX", "") or "")


def _digest(key: str) -> str:
    return hashlib.sha256(str(key).strip().casefold().encode()).hexdigest()[:40]


def hit(scope: str, key: str, limit: str) -> bool:
    """Count one hit of `key` in `scope`; False when `limit` ("3/hour",
    "30 per hour", "5/minute") is already reached (the hit is then not
    counted)."""
    item = parse(limit)
    try:
        return _get_limiter().hit(item, _prefix(), scope, _digest(key))
    except Exception:  # storage unreachable: fail open, loudly
        logger.exception("Limiteur de débit indisponible (%s) : requête acceptée", scope)
        return True


def remaining(scope: str, key: str, limit: str) -> int:
    """How many hits are left in the current window (for tests and pages)."""
    item = parse(limit)
    try:
        stats = _get_limiter().get_window_stats(item, _prefix(), scope, _digest(key))
    except Exception:
        logger.exception("Limiteur de débit indisponible (%s)", scope)
        return item.amount
    return stats.remaining


def hit_with_stats(scope: str, key: str, limit: str) -> tuple[bool, int, float]:
    """Like `hit`, and also what RateLimit-* headers need: (allowed, hits
    left in the window, seconds until the oldest hit leaves it)."""
    import time

    item = parse(limit)
    try:
        limiter = _get_limiter()
        allowed = limiter.hit(item, _prefix(), scope, _digest(key))
        stats = limiter.get_window_stats(item, _prefix(), scope, _digest(key))
    except Exception:  # storage unreachable: fail open, loudly
        logger.exception("Limiteur de débit indisponible (%s) : requête acceptée", scope)
        return True, item.amount, 0.0
    return allowed, stats.remaining, max(0.0, stats.reset_time - time.time())
