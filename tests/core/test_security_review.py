"""Security review: production refuses process-local limits, HSTS is on by
default behind TLS, and pages are never stored by browsers or proxies."""

import pytest
from django.urls import reverse

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 50,
    "PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG": "1",
    "ALLOWED_HOSTS": "titres.test",
    "TWODDOC_ALLOW_DEV_KEYS": "1",
}


def _check(env, tmp_path, code="import django; django.setup()"):
    import os
    import subprocess
    import sys

    from .test_security_settings import ROOT

    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "titres.settings",
            "TITRES_VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_redis_refuses_to_start(tmp_path):
    result = _check(PRODUCTION, tmp_path)
    assert result.returncode != 0
    assert "propres à chaque processus (pas de REDIS_URL)" in result.stderr


def test_single_process_installation_may_start_without_redis(tmp_path):
    result = _check({**PRODUCTION, "SINGLE_PROCESS_INSTALLATION": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr


def test_production_with_redis_starts(tmp_path):
    result = _check({**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/15"}, tmp_path)
    assert result.returncode == 0, result.stderr


def test_system_check_reports_process_local_cache(settings):
    from titres.core.checks import shared_state_configured

    settings.DEBUG = False
    settings.SINGLE_PROCESS_INSTALLATION = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [m.id for m in shared_state_configured(None)] == ["core.E001"]
    settings.SINGLE_PROCESS_INSTALLATION = True
    assert shared_state_configured(None) == []


def _setting(name, env, tmp_path):
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    result = _check({**PRODUCTION, "SINGLE_PROCESS_INSTALLATION": "1", **env}, tmp_path, code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_hsts_is_on_by_default_in_production(tmp_path):
    assert _setting("SECURE_HSTS_SECONDS", {}, tmp_path) == str(365 * 24 * 3600)
    # Not over plain HTTP (cookies not Secure), nor in development.
    assert _setting("SECURE_HSTS_SECONDS", {"SECURE_COOKIES": "0"}, tmp_path) == "0"
    assert _setting("SECURE_HSTS_SECONDS", {"DEBUG": "1"}, tmp_path) == "0"


@pytest.mark.django_db
def test_hsts_header_is_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("core:home"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_pages_are_not_stored_by_default(citizen, client):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_view_setting_its_own_cache_control_keeps_it(client):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from titres.core.middleware import NoStoreByDefaultMiddleware

    def view(request):
        response = HttpResponse("public")
        response["Cache-Control"] = "public, max-age=60"
        return response

    response = NoStoreByDefaultMiddleware(view)(RequestFactory().get("/"))
    assert response["Cache-Control"] == "public, max-age=60"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["not-a-uuid", "core:home", "javascript:alert(1)", "//evil.test/"]
)
def test_next_must_be_a_path_on_this_site(client, citizen, value):
    # redirect("not-a-uuid") looked for a view of that name: a 500.
    response = client.get(reverse("accounts:login"), {"next": value})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
