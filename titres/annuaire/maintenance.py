"""Maintenance mode (seed 000 §1.4, §1.8): while it is on, citizens and
partners get the unavailability page (HTTP 503 with Retry-After; the partner
API its JSON error), while operators, the agents' back office and the health
probes keep working.

It is on when an operator switched it on (the MaintenanceMode row, switched
through `services.switch_maintenance`, journaled) or when the environment
says MAINTENANCE_MODE=1 (during a deployment, when the database may be the
very thing being migrated: that path reads no table).

The row is read at most once every STATE_TTL seconds per process: the check
costs nothing on ordinary requests, and every server follows a switch within
that delay."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import timezone, translation

STATE_TTL = 5.0
DEFAULT_RETRY_AFTER = 300
MAX_RETRY_AFTER = 6 * 3600
# Always served: the load balancer's probes, the operators' admin, the
# agents' back office, the language switch, static files (served before, by
# WhiteNoise, but listed for a deployment without it).
OPEN_PREFIXES = ("/healthz", "/readyz", "/gestion/", "/agent/", "/i18n/", "/static/")
API_PREFIX = "/api/"
API_ERROR_CODE = "00503"


@dataclass(frozen=True)
class MaintenanceState:
    is_on: bool
    message: str = ""
    expected_end: datetime | None = None
    from_environment: bool = False


OFF = MaintenanceState(is_on=False)
_cache: dict[str, tuple[float, MaintenanceState]] = {}
_lock = threading.Lock()


def forget_cached_state() -> None:
    """Read the row again at the next request (after a switch, in tests)."""
    with _lock:
        _cache.clear()


def prime(state: MaintenanceState = OFF) -> None:
    """Take `state` as read just now (tests whose query counts are pinned)."""
    with _lock:
        _cache["state"] = (time.monotonic() + STATE_TTL, state)


def _read_row() -> MaintenanceState:
    from .models import MaintenanceMode

    try:
        row = MaintenanceMode.objects.order_by("pk").first()
    except DatabaseError:
        # No table yet (a deployment before `migrate`) or no database: the
        # portal's own error pages handle an outage; this switch stays off.
        return OFF
    if row is None or not row.is_on:
        return OFF
    return MaintenanceState(is_on=True, message=row.message, expected_end=row.expected_end)


def current_state() -> MaintenanceState:
    if getattr(settings, "MAINTENANCE_MODE", False):
        return MaintenanceState(is_on=True, from_environment=True)
    now = time.monotonic()
    with _lock:
        cached = _cache.get("state")
        if cached and cached[0] > now:
            return cached[1]
    state = _read_row()
    with _lock:
        _cache["state"] = (now + STATE_TTL, state)
    return state


def retry_after_seconds(state: MaintenanceState, now: datetime | None = None) -> int:
    """Until the announced return, bounded; five minutes when none is announced."""
    if state.expected_end is None:
        return int(getattr(settings, "MAINTENANCE_RETRY_AFTER", DEFAULT_RETRY_AFTER))
    remaining = (state.expected_end - (now or timezone.now())).total_seconds()
    return int(min(MAX_RETRY_AFTER, max(60, math.ceil(remaining))))


def _is_agent(user) -> bool:
    from titres.instruction.auth import is_agent

    return is_agent(user)


def may_pass(request) -> bool:
    """Who keeps working during maintenance: the open paths, operators
    everywhere, agents everywhere (their viewer opens the files' documents
    outside /agent/)."""
    if request.path_info.startswith(OPEN_PREFIXES):
        return True
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff) or _is_agent(user)


def unavailable_response(request, state: MaintenanceState) -> HttpResponse:
    retry_after = retry_after_seconds(state)
    if request.path_info.startswith(API_PREFIX):
        detail = "Le service est en maintenance ; réessayez après le délai indiqué par Retry-After."
        response = JsonResponse(
            {
                "errors": [
                    {
                        "code": API_ERROR_CODE,
                        "title": "Service en maintenance",
                        "detail": detail,
                        "source": None,
                        "meta": {"retry_after": retry_after},
                    }
                ]
            },
            status=503,
        )
    else:
        # Rendered without the context processors, like the other error
        # pages: nothing here may need what is being maintained.
        body = loader.get_template("annuaire/maintenance.html").render(
            {
                "LANGUAGE_CODE": translation.get_language() or "fr",
                "message": state.message,
                "expected_end": state.expected_end,
            }
        )
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class MaintenanceModeMiddleware:
    """After authentication (operators and agents are recognised), before
    any view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The probes first: /healthz answers even without a database.
        if request.path_info.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        state = current_state()
        if state.is_on and not may_pass(request):
            return unavailable_response(request, state)
        return self.get_response(request)
