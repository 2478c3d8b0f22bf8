import contextlib

import pytest

from titres.core import ratelimit
from titres.devidp.demo import load as load_devidp


@pytest.fixture(autouse=True)
def _fresh_limits():
    ratelimit.reset()
    yield
    ratelimit.reset()


@pytest.fixture
def provider(live_server, settings):
    """The local FranceConnect provider, served by the live server (the
    `…/france_connect` calls ask its userinfo endpoint over HTTP)."""
    settings.SITE_URL = live_server.url
    load_devidp()
    ratelimit.reset()
    return live_server


@pytest.fixture(autouse=True)
def _fresh_call_log_queue(settings):
    """Each test opens its own connection; its queue (under the test's own
    cache prefix) is removed afterwards, whatever it left in Redis."""
    from titres.partenaires import calllog

    calllog.reset()
    yield
    if settings.REDIS_URL:
        import redis

        # A test may have pointed REDIS_URL at a closed port.
        with contextlib.suppress(redis.RedisError):
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=0.5).delete(*calllog.keys())
    calllog.reset()


@pytest.fixture(autouse=True)
def _fresh_token_copies():
    """Tokens kept by a test (tokencache.py) never reach the next one (SQLite
    reuses their ids and key ids are random, but the stamp prefix changes)."""
    from titres.partenaires import tokencache

    tokencache.forget()
    yield
    tokencache.forget()
