"""Around every /api/ call: the request id (X-Request-ID, the caller's if
well formed), RateLimit-* and Deprecation/Sunset headers, JSON 404 for
unknown or retired paths, and one call log row handed over before the answer
leaves (so it is never lost once the partner has its answer): queued in
Redis, or inserted when there is no Redis (calllog.py)."""

import datetime as dt
import re
import time
import uuid
from urllib.parse import urlencode

from django.http import JsonResponse
from django.utils import timezone

from . import calllog, errors, inflight, retirements, tokens

API_PREFIX = "/api/"
# The contract, its browser and the public status: read by people and
# tools, not partner calls.
NOT_LOGGED = ("/openapi.json", "/docs", "/status")
LAST_USE_PRECISION = dt.timedelta(days=1)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def _json_error(request, error: errors.ApiError) -> JsonResponse:
    request.partner_error_code = error.code
    response = JsonResponse(error.body(), status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


def _as_api_error(request, response) -> errors.ApiError:
    """An answer Django or ninja made outside our handlers (unknown path,
    wrong method), in the API's error format."""
    if response.status_code == 404:
        return errors.ApiError(errors.NOT_FOUND, "Cette adresse n’existe pas dans l’API.")
    if response.status_code == 405:
        allowed = response.get("Allow", "GET")
        return errors.ApiError(
            errors.METHOD_NOT_ALLOWED,
            f"La méthode {request.method[:8]} n’est pas acceptée ici : utilisez {allowed}.",
            headers={"Allow": allowed},
        )
    return errors.ApiError(
        errors.INTERNAL,
        "Erreur inattendue : réessayez ; si elle persiste, signalez l’identifiant de requête.",
        meta={"retry_in": errors.RETRY_IN_SECONDS},
    )


class PartnerApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        started = time.monotonic()
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _REQUEST_ID.match(given) else str(uuid.uuid4())
        canonical = urlencode(sorted(request.GET.lists()), doseq=True)
        request.partner_params_hash = tokens.params_digest(canonical)
        retired_on = retirements.retired_on(request.path_info, timezone.localdate())
        try:
            if retired_on:
                response = _json_error(
                    request,
                    errors.ApiError(
                        errors.NOT_FOUND,
                        f"Ce point d’accès a été retiré le {retired_on:%d/%m/%Y}.",
                    ),
                )
            else:
                response = self.get_response(request)
        except BaseException:
            inflight.release(request)
            raise
        if response.status_code >= 400 and "application/json" not in response.get(
            "Content-Type", ""
        ):
            response = _json_error(request, _as_api_error(request, response))
        response["X-Request-ID"] = request.request_id
        for name, value in getattr(request, "partner_quota_headers", {}).items():
            response[name] = value
        for name, value in retirements.headers_for(request.path_info).items():
            response[name] = value
        # The in-flight marker goes with the call log row (one round trip)
        # when both are in the same Redis, else on its own.
        released = False
        try:
            released = not request.path_info.endswith(NOT_LOGGED) and self._log(
                request, response, started
            )
        finally:
            if not released:
                inflight.release(request)
        return response

    def _log(self, request, response, started) -> bool:
        """Hand the row over; True when the in-flight marker went with it."""
        token = getattr(request, "partner_token", None)
        marker = getattr(request, "partner_inflight_redis_key", None)
        released = calllog.record(
            at=timezone.now(),
            delete=(marker,) if marker else (),
            token_id=token.pk if token is not None else None,
            method=request.method[:8],
            path=request.path_info[:200],
            params_hash=request.partner_params_hash,
            ip=getattr(request, "partner_ip", None),
            status_code=response.status_code,
            error_code=getattr(request, "partner_error_code", ""),
            latency_ms=int((time.monotonic() - started) * 1000),
            request_id=request.request_id,
        )
        if token is not None and response.status_code < 400:
            # Traceability is purged two years after the token's last use:
            # a day's precision is plenty, one write a day rather than a call.
            # Written here, not by the flush: the token row is at hand and
            # the purge must never see a used token as idle.
            now = timezone.now()
            if token.last_used_at is None or now - token.last_used_at > LAST_USE_PRECISION:
                type(token).objects.filter(pk=token.pk).update(last_used_at=now)
                # The copy kept for the next calls (tokencache.py) too.
                token.last_used_at = now
        return released and marker is not None
