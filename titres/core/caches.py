"""Cache aliases, built from REDIS_URL by the settings (no Django import here).

- `default`: Django's Redis cache, for state whose loss matters (quotas,
  replay checks): an unreachable Redis raises, and callers decide — but
  after `REDIS_SOCKET_TIMEOUT`, never the client's unbounded default (a
  hung Redis made each request wait 5–25 s).
- `soft`: django-redis with IGNORE_EXCEPTIONS, for what is only a copy of
  the database (sessions with `cached_db`, the current terms version): an
  unreachable Redis reads as a miss and writes are dropped, so pages keep
  working from the database.
- `fragments`: always local memory, in each process: rendered fragments
  that depend on nothing but the code and the language (an empty search
  form), so no process can serve another's stale copy and a restart
  (a deployment) starts afresh.
Without REDIS_URL `default` and `soft` are local memory too (one process,
development)."""

FRAGMENTS = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"}


def cache_settings(
    redis_url: str, *, prefix: str, connect_timeout: float, socket_timeout: float
) -> dict:
    if not redis_url:
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "soft": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "soft",
            },
            "fragments": FRAGMENTS,
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
            # Passed to redis-py's connection pool.
            "OPTIONS": {
                "socket_connect_timeout": connect_timeout,
                "socket_timeout": socket_timeout,
                "retry_on_timeout": False,
            },
        },
        "soft": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"{prefix}:soft",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": connect_timeout,
                "SOCKET_TIMEOUT": socket_timeout,
                "IGNORE_EXCEPTIONS": True,
            },
        },
        "fragments": FRAGMENTS,
    }
