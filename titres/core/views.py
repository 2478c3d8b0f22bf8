import time
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import sessions
from .models import MailboxMessage


@login_not_required
def home(request):
    return render(request, "core/home.html")


@require_POST
def session_keepalive(request):
    """ "Rester connecté(e)" on the session-expiry warning (WCAG 2.2.1):
    renews the session now, whatever the refresh interval; the answer tells
    the page how long it now lasts."""
    sessions.renew(request.session)
    return JsonResponse({"expires_in": settings.SESSION_COOKIE_AGE})


@login_not_required
def accessibility(request):
    """Déclaration d'accessibilité (RGAA 4.1, article 47 of law 2005-102)."""
    return render(
        request,
        "core/accessibility.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL},
    )


def dashboard(request):
    return render(
        request, "core/dashboard.html", {"dashboard_sections": dashboard_sections(request)}
    )


def dashboard_sections(request):
    """Each app may contribute a block to the dashboard through a
    `dashboard_section(request)` function in its `dashboard` module."""
    from importlib import import_module

    sections = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("titres."):
            continue
        try:
            module = import_module(f"{app}.dashboard")
        except ModuleNotFoundError:
            continue
        section = module.dashboard_section(request)
        if section:
            sections.append(section)
    return sections


@login_not_required
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
def readyz(request):
    # Probes hit this every few seconds from every load balancer: the
    # result is kept 5 s per process so a probe storm does not turn into
    # storage writes.
    cached = _READYZ_CACHE.get("result")
    if cached and cached[0] > time.monotonic():
        checks = cached[1]
    else:
        checks = _run_readiness_checks()
        _READYZ_CACHE["result"] = (time.monotonic() + 5, checks)
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "error", "checks": checks}, status=200 if ready else 503
    )


_READYZ_CACHE: dict = {}


def _run_readiness_checks() -> dict:
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - report, never crash the probe
        checks["database"] = f"erreur : {exc.__class__.__name__}"
    try:
        key = f"readyz-{uuid.uuid4().hex}"
        cache.set(key, "1", 10)
        checks["cache"] = "ok" if cache.get(key) == "1" else "erreur : lecture impossible"
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"erreur : {exc.__class__.__name__}"
    try:
        name = default_storage.save(f"readyz/{uuid.uuid4().hex}", ContentFile(b"ok"))
        default_storage.delete(name)
        checks["storage"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["storage"] = f"erreur : {exc.__class__.__name__}"
    return checks


def _mailbox_enabled():
    if not (settings.DEBUG and settings.DEV_MAILBOX_ENABLED):
        raise Http404


@login_not_required
def mailbox(request):
    _mailbox_enabled()
    return render(
        request, "dev/mailbox.html", {"messages_list": MailboxMessage.objects.all()[:200]}
    )


@login_not_required
def mailbox_message(request, pk):
    _mailbox_enabled()
    return render(
        request, "dev/mailbox_message.html", {"mail": get_object_or_404(MailboxMessage, pk=pk)}
    )
