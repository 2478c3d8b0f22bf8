"""The portal's 500 and 503 pages (DSFR), for `handler500`.

Django calls the handler while the exception is being handled, so it can
tell an outage (the database or the cache unreachable: 503 with
Retry-After, the load balancer and the browser try again) from a bug
(500). Both pages render without the request's context processors: they
must not need the database or the cache that may have just failed."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("titres.errors")

RETRY_AFTER_SECONDS = 30


def _outage_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    else:
        errors += [RedisConnectionError, RedisTimeoutError]
    return tuple(errors)


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, _outage_errors())


def render_error(template: str, status: int) -> HttpResponse:
    body = loader.get_template(template).render(
        {"LANGUAGE_CODE": translation.get_language() or "fr"}
    )
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


@requires_csrf_token
def server_error(request, *args, **kwargs):
    error = sys.exc_info()[1]
    if is_outage(error):
        logger.error("Dépendance indisponible (%s) : page 503", error.__class__.__name__)
        response = render_error("503.html", 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return render_error("500.html", 500)
