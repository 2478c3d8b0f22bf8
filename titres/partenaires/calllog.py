"""The call log's write path (seed 004 §3): every call logged, without
slowing it, never lost once the partner has its answer.

With REDIS_URL, the middleware serialises the row (JSON, the parameters
already a keyed hash) and RPUSHes it onto a Redis list before the answer
leaves: one round trip instead of an INSERT and its commit, which also
removes the call's in-flight marker (inflight.py) when it is in that Redis. Redis is the
store that outlives the web process (it must run with `appendonly yes`,
docs/deployment.md). If the push fails (Redis down or hung), the row is
inserted directly, as without Redis, and this process keeps inserting
directly for FALLBACK_SECONDS rather than paying a timeout per call.

`flush()` (the scheduled job `flush_call_logs`, and the dashboards before
they read) drains the list into the table in batches of at most BATCH:
1. a Lua script moves a batch from the queue to one "processing" list,
   atomically, under a lock only one flusher holds;
2. the batch is written with bulk_create(ignore_conflicts=True): each row
   carries an `entry_id` (unique), so writing a batch twice adds nothing;
3. a second script empties the processing list, if the lock is still ours.
A flusher killed between 1 and 3 leaves its batch in the processing list
and the lock expires; the next flusher writes that batch first (the rows
already in the table are ignored), then goes on with the queue. So nothing
is lost and nothing is doubled. The request id is not the key: a caller
may send the same X-Request-ID twice, and both calls are logged.

Without REDIS_URL (development, SQLite, one process) the row is inserted
directly, before the answer leaves, as it always was.
"""

import datetime as dt
import functools
import json
import logging
import os
import threading
import time
import uuid

import redis
from django.conf import settings
from django.db import connection, transaction

from .models import ApiToken, CallLog

logger = logging.getLogger(__name__)

QUEUE = "partenaires:calllog"
PROCESSING = "partenaires:calllog:processing"
LOCK = "partenaires:calllog:lock"
BATCH = 1000
# Longer than a batch ever takes (1000 rows in one INSERT), renewed per batch.
LOCK_MS = 60_000
# Same bounds as the rate limiter's (core.ratelimit): a hung Redis must not
# hold the call for the client's default minutes.
REDIS_TIMEOUT_SECONDS = 0.5
FALLBACK_SECONDS = 30
FIELDS = (
    "token_id",
    "method",
    "path",
    "params_hash",
    "ip",
    "status_code",
    "error_code",
    "latency_ms",
    "request_id",
)

# Takes the next batch: what a killed flusher left in the processing list,
# else up to ARGV[2] rows moved from the queue. false when the lock is not
# (or no longer) ours.
_TAKE = """
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return false end
redis.call('PEXPIRE', KEYS[3], ARGV[3])
local left = redis.call('LRANGE', KEYS[2], 0, -1)
if #left > 0 then return left end
local rows = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)
if #rows > 0 then
  redis.call('RPUSH', KEYS[2], unpack(rows))
  redis.call('LTRIM', KEYS[1], #rows, -1)
end
return rows
"""
# The batch is in the table: forget it, unless another flusher took over
# (then the processing list is its to write and clear).
_DONE = """
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

_lock = threading.Lock()
_client: redis.Redis | None = None
_client_for: tuple[str, int] | None = None
_direct_until = 0.0


def _redis() -> redis.Redis | None:
    global _client, _client_for
    url = getattr(settings, "REDIS_URL", "") or ""
    if not url:
        return None
    # One pool per process (a forked worker opens its own) and per URL.
    wanted = (url, os.getpid())
    if _client_for != wanted:
        with _lock:
            if _client_for != wanted:
                _client = redis.Redis.from_url(
                    url,
                    socket_timeout=REDIS_TIMEOUT_SECONDS,
                    socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                )
                _client_for = wanted
    return _client


def _key(name: str) -> str:
    # The cache's prefix, as core.ratelimit: several portals (and each test)
    # on one Redis keep their own lists.
    prefix = str(settings.CACHES.get("default", {}).get("KEY_PREFIX", "") or "")
    return f"{prefix}:{name}"


def keys() -> list[str]:
    return [_key(QUEUE), _key(PROCESSING), _key(LOCK)]


def reset() -> None:
    """Forget the connection and the direct-insert period (tests)."""
    global _client, _client_for, _direct_until
    with _lock:
        _client = _client_for = None
        _direct_until = 0.0


def record(*, at: dt.datetime, delete: tuple[str, ...] = (), **fields) -> bool:
    """Log one call (the FIELDS of CallLog, `at` its moment). `delete`:
    Redis keys removed in the same round trip as the push (the call's
    in-flight marker). True when they were; False when the row did not go
    through Redis (then the caller removes them its own way)."""
    global _direct_until
    row = {name: fields[name] for name in FIELDS}
    row["entry_id"] = uuid.uuid4().hex
    client = _redis()
    if client is not None and time.monotonic() >= _direct_until:
        try:
            # One round trip, no MULTI: the push must not wait on the DEL.
            pipe = client.pipeline(transaction=False)
            if delete:
                pipe.delete(*delete)
            pipe.rpush(_key(QUEUE), json.dumps({**row, "at": at.isoformat()}))
            pipe.execute()
            return True
        except redis.RedisError:
            _direct_until = time.monotonic() + FALLBACK_SECONDS
            logger.exception(
                "Journal des appels : Redis indisponible, écriture directe pendant %s s",
                FALLBACK_SECONDS,
            )
    _insert(at=at, **row)
    return False


@functools.cache
def _insert_sql(vendor: str) -> tuple[str, tuple]:
    """The INSERT of one row, written once from the model (the ORM took
    longer to build it than the database to run it, issue 20), and its
    fields in order."""
    meta = CallLog._meta
    fields = tuple(f for f in meta.concrete_fields if not f.primary_key)
    quote = connection.ops.quote_name
    return (
        f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608 - the model's own names
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})",
        fields,
    )


def _insert(**values) -> None:
    """CallLog.objects.create(**values), without building the query each
    time: each value prepared for the database by its field, as save()
    does (CallLog has no save() of its own nor receivers)."""
    sql, fields = _insert_sql(connection.vendor)
    params = [f.get_db_prep_save(values[f.attname], connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _write(items: list[bytes]) -> int:
    rows = []
    for item in items:
        data = json.loads(item)
        data["at"] = dt.datetime.fromisoformat(data["at"])
        rows.append(data)
    # A token deleted meanwhile takes its calls with it (on_delete=CASCADE):
    # its rows are dropped rather than failing the whole batch on the FK.
    wanted = {row["token_id"] for row in rows} - {None}
    known = set(ApiToken.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    logs = [CallLog(**row) for row in rows if row["token_id"] is None or row["token_id"] in known]
    # Durable: committed here, before the batch leaves Redis. Inside a
    # caller's transaction a rollback would lose rows Redis no longer has,
    # so that is refused (RuntimeError) rather than risked.
    with transaction.atomic(durable=True):
        CallLog.objects.bulk_create(logs, batch_size=BATCH, ignore_conflicts=True)
    return len(logs)


def flush(*, max_batches: int | None = None) -> int:
    """Write the queued rows into the table; the number of rows handed to
    the database (a batch re-written after a crash counts again, but its
    rows are not doubled). 0 at once without Redis, or when another flusher
    holds the lock (its run writes them)."""
    client = _redis()
    if client is None:
        return 0
    queue, processing, lock = keys()
    owner = uuid.uuid4().hex
    if not client.set(lock, owner, nx=True, px=LOCK_MS):
        return 0
    take = client.register_script(_TAKE)
    done = client.register_script(_DONE)
    written = batches = 0
    try:
        while max_batches is None or batches < max_batches:
            items = take(keys=[queue, processing, lock], args=[owner, BATCH, LOCK_MS])
            if not items:  # empty, or the lock lost to another flusher
                break
            written += _write(items)
            batches += 1
            if not done(keys=[processing, lock], args=[owner]):
                break
    finally:
        client.register_script(_RELEASE)(keys=[lock], args=[owner])
    return written


def flush_before_reading() -> None:
    """For a page that shows the calls (dashboard, admin): the rows still
    queued, written first, bounded so that a page never waits for a large
    backlog (the scheduled job drains that). A Redis outage shows what the
    table holds."""
    try:
        flush(max_batches=5)
    except redis.RedisError:
        logger.warning("Journal des appels : Redis indisponible, lecture de la table seule")


def pending() -> int:
    """Rows waiting in Redis (queue and processing list), for operators."""
    client = _redis()
    if client is None:
        return 0
    queue, processing, _ = keys()
    return client.llen(queue) + client.llen(processing)
