"""Progressive lockout after repeated login failures, per account and per IP.

Counters live in the database (LoginThrottle), not in the cache: every app
server sees the same counter, a Redis outage cannot make a login answer 500
or forget a lock, and a cache restart does not unlock an account the review
had locked after six failures. The cost is one indexed row read per login
attempt and one row write per failure; a failure is already a journal write.
Concurrent failures are all counted: the row is locked (SELECT ... FOR UPDATE
on PostgreSQL; SQLite serialises writers) before it is incremented.

Per account: the counter is keyed on the account the login found
(`account_key(user=...)`), not on the string typed, so every spelling that
reaches an account (case, compatibility characters) adds to one counter;
an identifier that names no account is counted under its normalised form
(identifiers.identifier_key), so the lockout reveals nothing. From the
ACCOUNT_LOCKOUT_THRESHOLD-th consecutive failure, the account is locked for ACCOUNT_LOCKOUT_BASE_SECONDS, doubled at every
further failure, up to ACCOUNT_LOCKOUT_MAX_SECONDS. A successful login (or a
password reset) clears the counter.

Per IP address: the same rule with IP_LOCKOUT_THRESHOLD (higher, because
several people may share an address); successes do not clear it. Either
counter restarts from zero ACCOUNT_LOCKOUT_WINDOW_SECONDS after its last
failure.
"""

import datetime
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .identifiers import identifier_key
from .models import LoginThrottle

DEFAULTS = {
    "ACCOUNT_LOCKOUT_THRESHOLD": 5,
    "IP_LOCKOUT_THRESHOLD": 20,
    "ACCOUNT_LOCKOUT_BASE_SECONDS": 60,
    "ACCOUNT_LOCKOUT_MAX_SECONDS": 60 * 60,
    "ACCOUNT_LOCKOUT_WINDOW_SECONDS": 24 * 60 * 60,
}


def setting(name: str) -> int:
    return getattr(settings, name, DEFAULTS[name])


@dataclass(frozen=True)
class Lock:
    scope: str  # "account" or "ip"
    until: float  # UNIX time

    @property
    def seconds_left(self) -> int:
        return max(1, int(self.until - time.time() + 0.999))


def account_key(*, user=None, identifier: str = "") -> str:
    """The lockout key of a login attempt: the account found, else the
    normalised identifier typed."""
    if user is not None:
        return f"user:{user.pk}"
    return "name:" + identifier_key(identifier)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _scopes(account: str, ip: str | None):
    yield "account", _digest(account), setting("ACCOUNT_LOCKOUT_THRESHOLD")
    if ip:
        yield "ip", _digest(ip), setting("IP_LOCKOUT_THRESHOLD")


def current_lock(account: str, ip: str | None) -> Lock | None:
    """`account` is an account_key()."""
    now = timezone.now()
    wanted = Q()
    for scope, key, _threshold in _scopes(account, ip):
        wanted |= Q(scope=scope, key=key)
    row = (
        LoginThrottle.objects.filter(wanted, locked_until__gt=now)
        .order_by("scope")  # "account" before "ip": the more precise message
        .values("scope", "locked_until")
        .first()
    )
    if row is None:
        return None
    return Lock(row["scope"], row["locked_until"].timestamp())


@transaction.atomic
def register_failure(account: str, ip: str | None) -> Lock | None:
    """Count one failure; return the lock it triggers, if any."""
    now = timezone.now()
    window = datetime.timedelta(seconds=setting("ACCOUNT_LOCKOUT_WINDOW_SECONDS"))
    triggered = None
    for scope, key, threshold in _scopes(account, ip):
        _row, created = LoginThrottle.objects.get_or_create(
            scope=scope, key=key, defaults={"last_failure_at": now}
        )
        if created:
            # A new key (a sprayed identifier, a new address): forget the
            # counters nobody needs any more, so the table stays small.
            purge_expired()
        row = LoginThrottle.objects.select_for_update().get(scope=scope, key=key)
        if row.last_failure_at < now - window:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= threshold:
            duration = min(
                setting("ACCOUNT_LOCKOUT_BASE_SECONDS") * 2 ** min(row.failures - threshold, 30),
                setting("ACCOUNT_LOCKOUT_MAX_SECONDS"),
            )
            row.locked_until = now + datetime.timedelta(seconds=duration)
            triggered = triggered or Lock(scope, row.locked_until.timestamp())
        row.save(update_fields=["failures", "last_failure_at", "locked_until"])
    return triggered


def clear_account(account: str) -> None:
    LoginThrottle.objects.filter(scope="account", key=_digest(account)).delete()


def purge_expired() -> int:
    """Delete counters whose window has passed and that lock nothing."""
    cutoff = timezone.now() - datetime.timedelta(seconds=setting("ACCOUNT_LOCKOUT_WINDOW_SECONDS"))
    deleted, _ = LoginThrottle.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=timezone.now()),
        last_failure_at__lt=cutoff,
    ).delete()
    return deleted
