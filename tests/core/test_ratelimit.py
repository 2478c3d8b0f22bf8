import os

import pytest
from freezegun import freeze_time

from titres.core import ratelimit


@pytest.fixture(autouse=True)
def _fresh_limiter():
    ratelimit.reset()
    yield
    ratelimit.reset()


def test_allows_up_to_the_limit_then_refuses():
    assert [ratelimit.hit("t", "a@example.org", "3/hour") for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    # Another key, another scope: their own counters.
    assert ratelimit.hit("t", "b@example.org", "3/hour") is True
    assert ratelimit.hit("u", "a@example.org", "3/hour") is True


def test_keys_are_normalised():
    for _ in range(2):
        assert ratelimit.hit("t", " A@Example.org ", "2/hour")
    assert ratelimit.hit("t", "a@example.org", "2/hour") is False


def test_moving_window():
    with freeze_time("2026-03-01 10:00:00") as frozen:
        assert ratelimit.hit("t", "k", "2/hour")
        frozen.tick(30 * 60)
        assert ratelimit.hit("t", "k", "2/hour")
        assert not ratelimit.hit("t", "k", "2/hour")
        # 61 minutes after the first hit, one slot is free again, not two.
        frozen.tick(31 * 60)
        assert ratelimit.hit("t", "k", "2/hour")
        assert not ratelimit.hit("t", "k", "2/hour")


def test_cache_key_prefix_isolates(settings):
    assert ratelimit.hit("t", "k", "1/hour")
    assert not ratelimit.hit("t", "k", "1/hour")
    import uuid

    other = f"other-{uuid.uuid4().hex}"  # unique: counters outlive a run on Redis
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": other}}
    assert ratelimit.hit("t", "k", "1/hour")


def test_remaining():
    assert ratelimit.remaining("t", "k", "3/hour") == 3
    ratelimit.hit("t", "k", "3/hour")
    assert ratelimit.remaining("t", "k", "3/hour") == 2


def test_storage_failure_fails_open(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    ratelimit.reset()
    assert all(ratelimit.hit("t", "k", "1/hour") for _ in range(3))


@pytest.mark.redis
@pytest.mark.skipif(
    not os.environ.get("REDIS_URL", "").startswith("redis://"),
    reason="needs REDIS_URL=redis://... (shared counters across processes)",
)
def test_redis_storage_shared(settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    ratelimit.reset()
    assert ratelimit.hit("t", "k", "2/hour")
    ratelimit.reset()  # a new limiter (another process) sees the same counter
    assert ratelimit.hit("t", "k", "2/hour")
    assert not ratelimit.hit("t", "k", "2/hour")
