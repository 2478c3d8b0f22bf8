"""The lockout is kept in the database: it holds across app servers, a
Redis outage cannot turn a login into a server error, and a cache restart
does not unlock an account (issue 16, item 5; issue 10, item 3)."""

import pytest
from django.core.cache import cache

from titres.accounts import lockout
from titres.accounts.models import LoginThrottle

from .factories import UserFactory
from .test_login import post_login

pytestmark = pytest.mark.django_db
LOCKED = "Trop de tentatives de connexion infructueuses sur cet identifiant."


def forget_this_tests_cache():
    """What a Redis restart does to this test's keys. Never a FLUSHDB: xdist
    workers share one Redis database, and a flush there emptied another
    test's rate-limit counters in the middle of that test (a CI failure of
    the captcha's per-IP limit)."""
    redis = getattr(cache, "_cache", None)
    if redis is not None and hasattr(redis, "get_client"):
        client = redis.get_client(write=True)
        for key in client.scan_iter(match=f"{cache.key_prefix}*"):
            client.delete(key)
    else:
        cache.clear()  # the process's own memory: nobody else's counters


def test_a_lock_survives_a_cache_restart(client, settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 3
    UserFactory(username="camille")
    for _ in range(3):
        post_login(client, "camille", "faux")
    forget_this_tests_cache()
    response = post_login(client, "camille")
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_works_while_the_cache_is_unreachable(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 2
    assert lockout.register_failure("camille", "192.0.2.1") is None
    assert lockout.register_failure("camille", "192.0.2.1").scope == "account"
    assert lockout.current_lock("camille", None).scope == "account"


def test_counters_hold_no_identifier_or_address(settings):
    lockout.register_failure("Camille.Secret", "192.0.2.1")
    keys = list(LoginThrottle.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert all(len(key) == 64 and "camille" not in key for key in keys)


def test_counter_restarts_after_the_window(settings):
    from freezegun import freeze_time

    settings.ACCOUNT_LOCKOUT_THRESHOLD = 2
    settings.ACCOUNT_LOCKOUT_WINDOW_SECONDS = 3600
    with freeze_time("2026-03-01 10:00:00") as frozen:
        lockout.register_failure("camille", None)
        frozen.tick(3601)
        assert lockout.register_failure("camille", None) is None
        assert lockout.register_failure("camille", None) is not None


def test_stale_counters_are_purged(settings):
    from freezegun import freeze_time

    settings.ACCOUNT_LOCKOUT_WINDOW_SECONDS = 3600
    with freeze_time("2026-03-01 10:00:00") as frozen:
        lockout.register_failure("ancien", None)
        frozen.tick(7200)
        lockout.register_failure("nouveau", None)
    assert LoginThrottle.objects.count() == 1
