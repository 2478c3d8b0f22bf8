"""What a partner call must pass in Redis before its endpoint runs, in one
round trip (issue 20: it took four): the ceiling per IP address, the
token's quota and what its RateLimit-* headers need, and the in-flight
marker (409 `00015`, inflight.py).

One Lua script does, atomically and in this order, what the separate calls
did: the IP's moving window (quota.IP_LIMIT); if it passes and the token
was accepted, the token's (quota.TOKEN_LIMIT) and its window's stats; if
that passes, the marker (SET NX EX, as cache.add). A refused hit is not
counted, a refused quota sets no marker, as before. The windows are the
`limits` library's own (same keys, same list of timestamps, same checks as
its acquire_moving_window and moving_window scripts, the caller's clock),
so core.ratelimit's `hit`, `remaining` and this script count together.

Without the shared Redis (no REDIS_URL, a cache elsewhere, or the rate
limiter counting in memory for a while after a failure), and when the
script fails, the calls are made one by one as before (quota.hit_ip,
quota.hit, inflight.acquire), with their own fallbacks: counting in process
memory, the duplicate check skipped."""

import time
from dataclasses import dataclass, field

from titres.core import ratelimit

from . import inflight, quota, tokencache

_ADMIT = """
local now = tonumber(ARGV[1])
local function acquire(key, limit, expiry)
  local entry = redis.call('LINDEX', key, limit - 1)
  if entry and tonumber(entry) >= now - expiry then return false end
  redis.call('LPUSH', key, now)
  redis.call('LTRIM', key, 0, limit - 1)
  redis.call('EXPIRE', key, expiry)
  return true
end
local ip_limit, ip_expiry = tonumber(ARGV[2]), tonumber(ARGV[3])
if ip_limit > 0 and not acquire(KEYS[1], ip_limit, ip_expiry) then return {0} end
local limit, expiry = tonumber(ARGV[4]), tonumber(ARGV[5])
if limit == 0 then return {1} end
if ARGV[8] ~= '' and redis.call('GET', KEYS[4]) ~= ARGV[8] then return {1, -1} end
local allowed = acquire(KEYS[2], limit, expiry)
local low, high, index = 0, limit - 1, nil
local target = now - expiry
while low <= high do
  local mid = math.floor((low + high) / 2)
  local value = tonumber(redis.call('LINDEX', KEYS[2], mid))
  if value and value >= target then index = mid; low = mid + 1 else high = mid - 1 end
end
local oldest, count = '', 0
if index then
  oldest = tostring(tonumber(redis.call('LINDEX', KEYS[2], index)))
  count = index + 1
end
if not allowed then return {1, 0, oldest, count} end
local free = redis.call('SET', KEYS[3], ARGV[6], 'NX', 'EX', ARGV[7])
return {1, 1, oldest, count, free and 1 or 0}
"""
IP_SCOPE = "partenaires:ip"
TOKEN_SCOPE = "partenaires:token"  # noqa: S105 - a key scope, not a secret


@dataclass
class Verdict:
    ip_allowed: bool
    token_allowed: bool = True
    headers: dict = field(default_factory=dict)
    # An identical request of this token is being answered (409 `00015`).
    in_flight: bool = False
    # The kept copy of the token is out of date (tokencache.py): the IP was
    # counted, the token was not; read it again, then admit it.
    stale: bool = False


def admit(request, ip: str | None, token, *, stamp: str | None = None, count_ip=True) -> Verdict:
    """Count the call from `ip` (unless `count_ip` is False: already
    counted) and, when `token` is given (found, and every check passed),
    against the token's quota, and set its in-flight marker. `token` None:
    only the IP is counted. `stamp`: `token` is a kept copy
    (tokencache.py), admitted only if that stamp is still Redis's."""
    storage = ratelimit.shared_storage()
    marker = inflight.key_for(request, token) if token is not None else None
    redis_marker = inflight.redis_key(marker) if marker else None
    if storage is not None and (token is None or redis_marker):
        try:
            return _scripted(request, storage, ip, token, marker, redis_marker, stamp, count_ip)
        except Exception:  # noqa: BLE001 - Redis down, hung or refusing: as `hit` does
            ratelimit.shared_storage_failed(TOKEN_SCOPE if token is not None else IP_SCOPE)
        if stamp is not None:
            return _unchecked_copy(request, ip if count_ip else None)
        if token is not None:
            # The script may have run before the answer was lost: its marker
            # must not make this call (or its retry) a 409, and goes with
            # the answer when Redis is back. The check is skipped, as when
            # the cache is down.
            inflight.skipped()
            request.partner_inflight_key = marker
        return _one_by_one(request, ip if count_ip else None, token, check_in_flight=False)
    if stamp is not None:
        return _unchecked_copy(request, ip if count_ip else None)
    return _one_by_one(request, ip if count_ip else None, token)


def _unchecked_copy(request, ip) -> Verdict:
    """A kept copy whose stamp cannot be checked (Redis failed): the IP
    counted here, the token to be read from the database by the caller."""
    verdict = _one_by_one(request, ip, None)
    return verdict if not verdict.ip_allowed else Verdict(ip_allowed=True, stale=True)


def _scripted(request, storage, ip, token, marker, redis_marker, stamp, count_ip) -> Verdict:
    ip_item, token_item = ratelimit.parse(quota.IP_LIMIT), ratelimit.parse(quota.TOKEN_LIMIT)
    ip = ip if count_ip else None
    keys = [
        ratelimit.storage_key(storage, IP_SCOPE, ip, quota.IP_LIMIT) if ip else "",
        ratelimit.storage_key(storage, TOKEN_SCOPE, token.key_id, quota.TOKEN_LIMIT)
        if token is not None
        else "",
        redis_marker or "",
        tokencache.stamp_key(),
    ]
    args = [
        time.time(),
        ip_item.amount if ip else 0,
        ip_item.get_expiry(),
        token_item.amount if token is not None else 0,
        token_item.get_expiry(),
        inflight.redis_value(request),
        inflight.IN_FLIGHT_SECONDS,
        stamp or "",
    ]
    result = _script(storage.get_connection())(keys=keys, args=args)
    if not result[0]:
        return Verdict(ip_allowed=False)
    if token is None:
        return Verdict(ip_allowed=True)
    if result[1] == -1:
        return Verdict(ip_allowed=True, stale=True)
    allowed, oldest, count = bool(result[1]), result[2], int(result[3])
    # As limits' get_window_stats: the window resets when its oldest hit
    # leaves it (now + expiry when it is empty).
    start = float(oldest) if count else time.time()
    headers = quota.headers(
        token_item.amount - count, start + token_item.get_expiry() - time.time()
    )
    if not allowed:
        return Verdict(ip_allowed=True, token_allowed=False, headers=headers)
    if not result[4]:
        return Verdict(ip_allowed=True, headers=headers, in_flight=True)
    request.partner_inflight_key = marker
    request.partner_inflight_redis_key = redis_marker
    return Verdict(ip_allowed=True, headers=headers)


_kept_script = None


def _script(client):
    """The admission script of the rate limiter's Redis client, made once
    per client (redis-py loads it again by itself if Redis forgot it)."""
    global _kept_script
    script = _kept_script
    if script is None or script.registered_client is not client:
        script = _kept_script = client.register_script(_ADMIT)
    return script


def _one_by_one(request, ip, token, *, check_in_flight: bool = True) -> Verdict:
    if ip and not quota.hit_ip(ip):
        return Verdict(ip_allowed=False)
    if token is None:
        return Verdict(ip_allowed=True)
    allowed, headers = quota.hit(request, token)
    if not allowed:
        return Verdict(ip_allowed=True, token_allowed=False, headers=headers)
    busy = check_in_flight and not inflight.acquire(request, token)
    return Verdict(ip_allowed=True, headers=headers, in_flight=busy)
