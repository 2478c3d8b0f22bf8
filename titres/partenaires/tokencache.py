"""The tokens this process has lately accepted, so that a partner call
makes no SQL query for its token (issue 20: that read was the largest part
of a call), while revocation, expiry, suspension and the IP allow-list
still apply from the very next call, on every server.

How it stays exact: Redis holds one stamp (a random value) for all the
tokens and partners; every change to a token or a partner writes a new
one once it is committed (the post_save/post_delete receivers below, and
`changed()` after a queryset update). A process keeps a token read from the
database with the stamp read *before* that read; the admission script
(admission.py) compares it with Redis's in the same round trip as the
quotas, before the token's quota is counted; when they differ, the call
reads the token from the database again. The checks themselves (hash,
revocation, partner state, expiry against the clock, allow-list) run on
every call, on the kept copy; a refusal is always decided from the
database (auth.py), so only accepted tokens are kept.

Without the shared Redis (no REDIS_URL, or the rate limiter counting in
memory after a failure) nothing is kept: every call reads its token. A
stamp that Redis forgets (restart, eviction, expiry) is a new stamp: the
copies go. If Redis refuses the new stamp exactly when a change is
committed, a copy still goes after MAX_AGE_SECONDS."""

import logging
import threading
import time
import uuid
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from titres.core import ratelimit

from . import inflight

logger = logging.getLogger(__name__)

MAX_AGE_SECONDS = 30
# A stamp nobody changes still goes once a day (a key never left forever).
STAMP_SECONDS = 86_400
# Bounded memory: tokens are a few hundred; a flood of keys is cleared.
MAX_TOKENS = 10_000
_STAMP = "partenaires:tokens:stamp"
_REDIS_TIMEOUT_SECONDS = 0.5


@dataclass(frozen=True)
class Kept:
    token: object
    stamp: str
    at: float


_kept: dict[str, Kept] = {}
_lock = threading.Lock()


def stamp_key() -> str:
    # The cache's prefix, as core.ratelimit: several portals (and each
    # test) on one Redis keep their own stamp.
    prefix = str(settings.CACHES.get("default", {}).get("KEY_PREFIX", "") or "")
    return f"{prefix}:{_STAMP}"


def get(key_id: str):
    """The kept copy of token `key_id` (Kept), or None: not kept, too old,
    or no shared Redis to check its stamp against."""
    kept = _kept.get(key_id)
    if kept is None:
        return None
    if time.monotonic() - kept.at > MAX_AGE_SECONDS or ratelimit.shared_storage() is None:
        drop(key_id)
        return None
    return kept


def stamp() -> str | None:
    """The current stamp, made when Redis has none, read before a token is
    read from the database; None without the shared Redis (nothing is then
    kept)."""
    storage = ratelimit.shared_storage()
    # The admission script checks the stamp only where it also sets the
    # in-flight marker: the cache must be that Redis too.
    if storage is None or inflight.redis_key(_STAMP) is None:
        return None
    try:
        pipe = storage.get_connection().pipeline(transaction=False)
        pipe.set(stamp_key(), uuid.uuid4().hex, nx=True, ex=STAMP_SECONDS)
        pipe.get(stamp_key())
        value = pipe.execute()[1]
    except redis.RedisError:
        logger.warning("Redis indisponible : jeton lu en base à chaque appel")
        return None
    return value.decode() if isinstance(value, bytes) else value


def keep(token, stamp_read: str) -> None:
    with _lock:
        if len(_kept) >= MAX_TOKENS:
            _kept.clear()
        _kept[token.key_id] = Kept(token=token, stamp=stamp_read, at=time.monotonic())


def drop(key_id: str) -> None:
    _kept.pop(key_id, None)


def forget() -> None:
    """Drop every copy (tests)."""
    with _lock:
        _kept.clear()


def _new_stamp() -> None:
    url = getattr(settings, "REDIS_URL", "") or ""
    if not url:
        return
    # A connection of its own: the rate limiter's may be off for a while
    # after a failure, and a change is rare.
    client = redis.Redis.from_url(
        url,
        socket_timeout=_REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=_REDIS_TIMEOUT_SECONDS,
    )
    try:
        client.set(stamp_key(), uuid.uuid4().hex, ex=STAMP_SECONDS)
    except redis.RedisError:
        logger.exception(
            "Redis indisponible : les copies des jetons tiennent encore %s s au plus",
            MAX_AGE_SECONDS,
        )
    finally:
        client.close()


def changed() -> None:
    """A token or a partner changed: a new stamp once the transaction
    commits (before, another call could read the old row and keep it
    under the new stamp)."""
    transaction.on_commit(_new_stamp)


def _on_change(sender, **kwargs) -> None:
    changed()


def connect() -> None:
    """Every save or delete of a token or a partner (services, admin,
    demo, tests) changes the stamp; PartenairesConfig.ready() calls this."""
    from .models import ApiToken, Partner

    for model in (ApiToken, Partner):
        uid = f"partenaires.tokencache.{model.__name__}"
        post_save.connect(_on_change, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_change, sender=model, dispatch_uid=uid)
