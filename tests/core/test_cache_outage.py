"""Finding 5 of issue 16 (cache): a hung Redis made each request wait
5–25 s (no socket timeout), a Redis restart logged everybody out (sessions
only in the cache), and Redis down broke every page."""

import socket
import threading

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from titres.core.caches import cache_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung_redis():
    """Accepts connections and never answers (a SIGSTOPped redis-server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def _aliases(url):
    return cache_settings(url, prefix="t", connect_timeout=0.5, socket_timeout=0.5)


def test_a_hung_redis_fails_the_call_instead_of_blocking(hung_redis):
    params = _aliases(hung_redis)["default"]
    backend = RedisCache(params["LOCATION"], params)
    outcome = {}

    def read():
        try:
            backend.get("k")
        except Exception as error:  # noqa: BLE001 - asserted below
            outcome["error"] = error

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(30)  # a bound on a hang, not a measure of speed
    assert not thread.is_alive(), "la lecture reste bloquée sur un Redis figé"
    assert type(outcome["error"]).__name__ == "TimeoutError"


def test_the_soft_cache_reads_a_miss_when_redis_is_down(settings):
    settings.CACHES = {
        **settings.CACHES,
        "soft": _aliases(f"redis://127.0.0.1:{_closed_port()}/0")["soft"],
    }
    soft = caches["soft"]
    soft.set("k", "v")  # dropped, no error
    assert soft.get("k") is None


def test_sessions_survive_a_cache_restart(settings, client, citizen):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert client.get(reverse("core:dashboard")).status_code == 200
    caches[settings.SESSION_CACHE_ALIAS].clear()  # what a Redis restart does
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_signed_in_pages_work_with_redis_down(settings, client, citizen):
    settings.CACHES = {
        **settings.CACHES,
        "soft": _aliases(f"redis://127.0.0.1:{_closed_port()}/0")["soft"],
    }
    client.force_login(citizen)  # the session is written to the database
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.user == citizen
