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


def test_storage_failure_degrades_to_counting_in_the_process(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    ratelimit.reset()
    # Neither an error nor unlimited: the limit still holds in this process.
    assert [ratelimit.hit("t", "k", "2/hour") for _ in range(3)] == [True, True, False]
    assert ratelimit.remaining("t", "k", "2/hour") == 0


@pytest.fixture
def hung_redis():
    """A TCP server that accepts connections and never answers (a Redis
    stopped with SIGSTOP); counts the connections it received."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []

    def accept():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            accepted.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0", accepted
    server.close()
    for connection in accepted:
        connection.close()


def test_hung_redis_is_given_up_quickly_and_then_left_alone(settings, hung_redis):
    url, accepted = hung_redis
    settings.REDIS_URL = url
    ratelimit.reset()
    assert ratelimit.hit("t", "k", "2/hour") is True  # after one short timeout
    options = ratelimit._storage.storage.connection_pool.connection_kwargs
    assert options["socket_timeout"] == ratelimit.REDIS_TIMEOUT_SECONDS <= 1
    assert options["socket_connect_timeout"] == ratelimit.REDIS_TIMEOUT_SECONDS
    tried = len(accepted)
    # The next requests do not wait on Redis again: counted locally.
    assert [ratelimit.hit("t", "k", "2/hour") for _ in range(2)] == [True, False]
    assert len(accepted) == tried


def test_redis_is_tried_again_after_the_fallback_period(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    ratelimit.reset()
    with freeze_time("2026-03-01 10:00:00") as frozen:
        ratelimit.hit("t", "k", "5/hour")
        assert ratelimit._degraded()
        frozen.tick(ratelimit.FALLBACK_SECONDS + 1)
        assert not ratelimit._degraded()


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


def test_memory_counting_starts_no_thread_and_still_drops_expired_entries(monkeypatch):
    """Issue 20: limits' memory storage started a timer thread again after
    each burst of hits; LazyMemoryStorage drops expired entries itself, at
    most once per EXPIRY_EVERY_SECONDS, and counts the same."""
    import threading
    import time

    from limits.strategies import MovingWindowRateLimiter

    storage = ratelimit.LazyMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    item = ratelimit.parse("2/second")
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread))
    assert limiter.hit(item, "k") and limiter.hit(item, "k")
    assert not limiter.hit(item, "k")
    time.sleep(1.05)  # the window and the expiry period have passed
    assert limiter.hit(item, "k")
    assert len(storage.events[item.key_for("k")]) == 1  # the two old entries dropped
    assert started == []
