"""The per-token quota is shared by every app server through Redis: two
processes counting against the same token never let more than the limit
through together."""

import multiprocessing
import os
import uuid

import pytest

from titres.core import ratelimit

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not REDIS_URL.startswith("redis://"), reason="REDIS_URL (redis://…) requis pour ce test"
    ),
]


def _hits(key, count, limit, results):
    # A forked process: core.ratelimit opens its own connection (pid check).
    results.put(
        [ratelimit.hit_with_stats("partenaires:token", key, limit)[0] for _ in range(count)]
    )


def test_two_processes_share_the_token_quota(settings):
    settings.REDIS_URL = REDIS_URL
    ratelimit.reset()
    key = uuid.uuid4().hex  # a fresh token id: no counter left from another run
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    # A minute window (same code path as 20/second) so that a loaded machine
    # cannot spread the calls over two windows.
    workers = [
        context.Process(target=_hits, args=(key, count, "20/minute", results)) for count in (10, 11)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=30), results.get(timeout=30)]
    for worker in workers:
        worker.join(timeout=30)
    allowed = [hit for outcome in outcomes for hit in outcome]
    assert len(allowed) == 21
    assert allowed.count(True) == 20 and allowed.count(False) == 1
    ratelimit.reset()
