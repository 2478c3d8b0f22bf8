"""409 `00015`: the same request (same token, path and parameters) is
already being answered. A partner's retry loop that fires again before the
first answer would otherwise double the load on the registries and the
quota. The marker lives in the shared cache (Redis with several servers),
expires on its own if a process dies mid-call, and is removed once the
answer leaves."""

import logging

from django.core.cache import cache

from . import errors

logger = logging.getLogger(__name__)

# Longer than any answer can take (registry reads are cut at 3 s).
IN_FLIGHT_SECONDS = 30


def _key(token, path: str, params_hash: str) -> str:
    return f"partenaires:inflight:{token.key_id}:{path}:{params_hash}"


def acquire(request, token, params_hash: str) -> None:
    key = _key(token, request.path_info, params_hash)
    try:
        added = cache.add(key, request.request_id, IN_FLIGHT_SECONDS)
    except Exception:  # noqa: BLE001 - the cache is down: answer rather than refuse
        logger.warning("Cache indisponible : contrôle des requêtes en double sauté")
        return
    if not added:
        raise errors.ApiError(
            errors.IN_PROGRESS,
            "Une requête identique de ce jeton est déjà en cours : attendez sa réponse "
            "avant de la renvoyer.",
            meta={"retry_in": 1},
            headers={"Retry-After": "1"},
        )
    request.partner_inflight_key = key


def release(request) -> None:
    key = getattr(request, "partner_inflight_key", None)
    if key:
        try:
            cache.delete(key)
        except Exception:  # noqa: BLE001 - it expires by itself
            logger.warning("Cache indisponible : marqueur de requête en cours laissé à expirer")
