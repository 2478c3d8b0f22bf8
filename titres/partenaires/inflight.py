"""409 `00015`: the same request (same token, path and parameters) is
already being answered. A partner's retry loop that fires again before the
first answer would otherwise double the load on the registries and the
quota. The marker lives in the shared cache (Redis with several servers),
expires on its own if a process dies mid-call, and is removed once the
answer leaves.

When the cache is the Redis of REDIS_URL, the marker is set by the
admission script (admission.py, with the quotas) and removed in the call
log's pipeline (calllog.record): the same key, the same value, no round
trip of its own. Otherwise (no Redis, or a cache elsewhere) through the
cache, below."""

import logging
import pickle

from django.conf import settings
from django.core.cache import cache

from . import errors

logger = logging.getLogger(__name__)

# Longer than any answer can take (registry reads are cut at 3 s).
IN_FLIGHT_SECONDS = 30
_REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


def _key(token, path: str, params_hash: str) -> str:
    return f"partenaires:inflight:{token.key_id}:{path}:{params_hash}"


def key_for(request, token) -> str:
    return _key(token, request.path_info, request.partner_params_hash)


def redis_key(key: str) -> str | None:
    """The marker's key in Redis when the cache is the Redis of REDIS_URL
    (what cache.add would set), else None."""
    config = settings.CACHES.get("default", {})
    url = getattr(settings, "REDIS_URL", "") or ""
    if url and config.get("BACKEND") == _REDIS_CACHE and config.get("LOCATION") == url:
        return cache.make_key(key)
    return None


def redis_value(request) -> bytes:
    # Pickled as Django's RedisCache stores a string, so cache.get reads it.
    return pickle.dumps(request.request_id, pickle.HIGHEST_PROTOCOL)


def busy() -> errors.ApiError:
    return errors.ApiError(
        errors.IN_PROGRESS,
        "Une requête identique de ce jeton est déjà en cours : attendez sa réponse "
        "avant de la renvoyer.",
        meta={"retry_in": 1},
        headers={"Retry-After": "1"},
    )


def acquire(request, token) -> bool:
    """Set the marker through the cache; False when it is already there
    (the same request in progress)."""
    key = key_for(request, token)
    try:
        added = cache.add(key, request.request_id, IN_FLIGHT_SECONDS)
    except Exception:  # noqa: BLE001 - the cache is down: answer rather than refuse
        skipped()
        return True
    if added:
        request.partner_inflight_key = key
    return added


def skipped() -> None:
    logger.warning("Cache indisponible : contrôle des requêtes en double sauté")


def release(request) -> None:
    key = getattr(request, "partner_inflight_key", None)
    if key:
        request.partner_inflight_key = None
        try:
            cache.delete(key)
        except Exception:  # noqa: BLE001 - it expires by itself
            logger.warning("Cache indisponible : marqueur de requête en cours laissé à expirer")
