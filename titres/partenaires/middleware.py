"""Around every /api/ call: the request id (X-Request-ID, the caller's if
well formed), RateLimit-* headers, JSON 404 for unknown paths, and one call
log row written before the answer leaves (so it is never lost once the
partner has its answer)."""

import re
import time
import uuid
from urllib.parse import urlencode

from django.http import JsonResponse
from django.utils import timezone

from . import errors, tokens
from .models import CallLog

API_PREFIX = "/api/"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


class PartnerApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        started = time.monotonic()
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _REQUEST_ID.match(given) else str(uuid.uuid4())
        response = self.get_response(request)
        if response.status_code == 404 and "application/json" not in response.get(
            "Content-Type", ""
        ):
            error = errors.ApiError(errors.NOT_FOUND, "Cette adresse n’existe pas dans l’API.")
            request.partner_error_code = error.code
            response = JsonResponse(error.body(), status=404)
        response["X-Request-ID"] = request.request_id
        for name, value in getattr(request, "partner_quota_headers", {}).items():
            response[name] = value
        if not request.path_info.endswith("/openapi.json"):
            self._log(request, response, started)
        return response

    def _log(self, request, response, started):
        token = getattr(request, "partner_token", None)
        canonical = urlencode(sorted(request.GET.lists()), doseq=True)
        CallLog.objects.create(
            token=token,
            method=request.method[:8],
            path=request.path_info[:200],
            params_hash=tokens.params_digest(canonical),
            ip=getattr(request, "partner_ip", None),
            status_code=response.status_code,
            error_code=getattr(request, "partner_error_code", ""),
            latency_ms=int((time.monotonic() - started) * 1000),
            request_id=request.request_id,
        )
        if token is not None and response.status_code < 400:
            # Traceability is purged two years after the token's last use.
            type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now())
