"""Exact quotas: 20 calls per second per token (seed 004 §3) with the
`limits` library's moving window on Redis (shared by every app server:
titres.core.ratelimit), so no burst of 2x at a window's edge; plus a
ceiling per IP address. Before an endpoint runs, admission.py counts both
(and sets the in-flight marker) in one Redis round trip, with the same
windows; these functions are its path without the shared Redis."""

import math
import os

from limits import parse

from titres.core import ratelimit

# Seed 004: 20 per second. PARTENAIRES_TOKEN_LIMIT only for the two-server
# test (tests/partenaires/test_quota_two_servers.py), which counts "20/minute"
# through the same code so that a loaded machine cannot spread its 21 calls
# over two windows.
TOKEN_LIMIT = os.environ.get("PARTENAIRES_TOKEN_LIMIT", "20/second")
TOKEN_LIMIT_AMOUNT = parse(TOKEN_LIMIT).amount
IP_LIMIT = "100/second"


def hit(request, token) -> tuple[bool, dict]:
    """Count one call; (allowed, RateLimit-* headers)."""
    allowed, remaining, reset = ratelimit.hit_with_stats(
        "partenaires:token", token.key_id, TOKEN_LIMIT
    )
    return allowed, headers(remaining, reset)


def headers(remaining: int, reset_in: float) -> dict:
    """RateLimit-* headers: hits left in the window, seconds until its
    oldest hit leaves it."""
    return {
        "RateLimit-Limit": str(TOKEN_LIMIT_AMOUNT),
        "RateLimit-Remaining": str(max(0, remaining)),
        "RateLimit-Reset": str(max(1, math.ceil(max(0.0, reset_in)))),
    }


def hit_ip(ip: str) -> bool:
    return ratelimit.hit("partenaires:ip", ip, IP_LIMIT)
