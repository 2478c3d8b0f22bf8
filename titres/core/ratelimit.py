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

When Redis is down or hung, limits degrade instead of failing: every call
to Redis has a short timeout (REDIS_TIMEOUT_SECONDS, for a hung server the
client's default would wait for minutes), and after a failure this process
counts in its own memory for FALLBACK_SECONDS before trying Redis again
(so a dead Redis costs one timeout per process and period, not one per
request). Per-process counting is looser (one counter per worker) but never
unlimited and never an error page.

What a Redis restart forgets: the current windows (at most an hour's worth
of counting). That is acceptable for these limits, which are there against
floods and e-mail bombing, not against password guessing: the login lockout,
which must survive a restart, lives in the database (accounts.lockout).
Deployments that want the windows to survive too run Redis with
`appendonly yes` (docs/operations.md).

    from titres.core import ratelimit
    if not ratelimit.hit("accounts:password_reset:ip", ip, "20/hour"):
        ...  # limited
"""

import functools
import hashlib
import logging
import os
import threading
import time

import limits
from django.conf import settings
from limits.storage import MemoryStorage, RedisStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

logger = logging.getLogger(__name__)

# "20/hour" parsed once per process: the same few limits on every hit.
parse = functools.lru_cache(maxsize=256)(limits.parse)

REDIS_TIMEOUT_SECONDS = 0.5
FALLBACK_SECONDS = 30
FALLBACK_LOG = "Limiteur de débit indisponible (%s) : comptage dans ce processus pendant %s s"


class LazyMemoryStorage(MemoryStorage):
    """limits' memory storage, its expired entries dropped by the calling
    thread at most once per EXPIRY_EVERY_SECONDS instead of a timer thread
    that it starts again 10 ms after each burst of hits (a thread started
    every few calls, a fifth of a partner API call without Redis, issue 20).
    The counting is the same: each check compares the entries' own times
    with the window; dropping expired entries only frees memory."""

    EXPIRY_EVERY_SECONDS = 1.0

    def __init__(self, *args, **kwargs):
        self._next_expiry = 0.0
        super().__init__(*args, **kwargs)

    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_expiry:
            self._next_expiry = now + self.EXPIRY_EVERY_SECONDS
            self._MemoryStorage__expire_events()


_lock = threading.Lock()
_limiter: MovingWindowRateLimiter | None = None
_storage: Storage | None = None
_pid: int | None = None
_fallback = MovingWindowRateLimiter(LazyMemoryStorage())
_fallback_until = 0.0


def _get_limiter() -> MovingWindowRateLimiter:
    global _limiter, _storage, _pid
    # A forked worker must not share the parent's connection pool.
    if _limiter is None or _pid != os.getpid():
        with _lock:
            if _limiter is None or _pid != os.getpid():
                url = getattr(settings, "REDIS_URL", "") or ""
                _storage = (
                    storage_from_string(
                        url,
                        socket_timeout=REDIS_TIMEOUT_SECONDS,
                        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                    )
                    if url
                    else LazyMemoryStorage()
                )
                _limiter = MovingWindowRateLimiter(_storage)
                _pid = os.getpid()
    return _limiter


def _degraded() -> bool:
    return time.monotonic() < _fallback_until


def _storage_failed() -> None:
    global _fallback_until
    _fallback_until = time.monotonic() + FALLBACK_SECONDS


def reset() -> None:
    """Forget the limiter (and, in memory, every counter)."""
    global _limiter, _storage, _pid, _fallback_until
    with _lock:
        if isinstance(_storage, MemoryStorage):
            _storage.reset()
        _fallback.storage.reset()
        _limiter = _storage = _pid = None
        _fallback_until = 0.0


def _prefix() -> str:
    return str(settings.CACHES.get("default", {}).get("KEY_PREFIX", "") or "")


def _digest(key: str) -> str:
    return hashlib.sha256(str(key).strip().casefold().encode()).hexdigest()[:40]


def hit(scope: str, key: str, limit: str) -> bool:
    """Count one hit of `key` in `scope`; False when `limit` ("3/hour",
    "30 per hour", "5/minute") is already reached (the hit is then not
    counted)."""
    item = parse(limit)
    identifiers = (_prefix(), scope, _digest(key))
    if not _degraded():
        try:
            return _get_limiter().hit(item, *identifiers)
        except Exception:  # Redis down, hung or refusing: count locally
            _storage_failed()
            logger.exception(FALLBACK_LOG, scope, FALLBACK_SECONDS)
    return _fallback.hit(item, *identifiers)


def remaining(scope: str, key: str, limit: str) -> int:
    """How many hits are left in the current window (for tests and pages)."""
    item = parse(limit)
    identifiers = (_prefix(), scope, _digest(key))
    if not _degraded():
        try:
            return _get_limiter().get_window_stats(item, *identifiers).remaining
        except Exception:
            _storage_failed()
            logger.exception(FALLBACK_LOG, scope, FALLBACK_SECONDS)
    return _fallback.get_window_stats(item, *identifiers).remaining


def hit_with_stats(scope: str, key: str, limit: str) -> tuple[bool, int, float]:
    """Like `hit`, and also what RateLimit-* headers need: (allowed, hits
    left in the window, seconds until the oldest hit leaves it). Degrades
    like `hit` when Redis is down or hung."""
    item = parse(limit)
    identifiers = (_prefix(), scope, _digest(key))
    limiter = None
    if not _degraded():
        try:
            limiter = _get_limiter()
            allowed = limiter.hit(item, *identifiers)
            stats = limiter.get_window_stats(item, *identifiers)
        except Exception:
            _storage_failed()
            logger.exception(FALLBACK_LOG, scope, FALLBACK_SECONDS)
            limiter = None
    if limiter is None:
        allowed = _fallback.hit(item, *identifiers)
        stats = _fallback.get_window_stats(item, *identifiers)
    return allowed, stats.remaining, max(0.0, stats.reset_time - time.time())


def shared_storage() -> RedisStorage | None:
    """The Redis storage the counters live in right now, for a caller that
    counts several limits in one round trip with its own script
    (partenaires.admission); None when they are in process memory (no
    REDIS_URL, or FALLBACK_SECONDS after a failure): then call `hit`."""
    if _degraded():
        return None
    _get_limiter()
    return _storage if isinstance(_storage, RedisStorage) else None


def storage_key(storage: RedisStorage, scope: str, key: str, limit: str) -> str:
    """The Redis key `hit` counts `key` under for `limit`: a script that
    counts there shares the counters with `hit` and `hit_with_stats`."""
    return storage.prefixed_key(parse(limit).key_for(_prefix(), scope, _digest(key)))


def shared_storage_failed(scope: str) -> None:
    """The caller's script failed: count in this process for
    FALLBACK_SECONDS, as `hit` does after a failure (logged the same way)."""
    _storage_failed()
    logger.exception(FALLBACK_LOG, scope, FALLBACK_SECONDS)
