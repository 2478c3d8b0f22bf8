"""The scheduler's lease: which instance runs the periodic jobs.

One row, changed only by compare-and-set UPDATEs: an instance takes the
lease when it is free or expired, renews it only while it still holds it,
and gives it up on a clean stop. Two instances racing for an expired lease
both issue the UPDATE; the database serialises them on the row and the
second one's WHERE no longer matches (PostgreSQL re-checks it against the
committed row), so exactly one wins. Nothing is held between calls: a
frozen or killed holder simply stops renewing and loses the lease once it
expires."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from . import conf
from .models import SchedulerLease

NAME = "scheduler"


@dataclass(frozen=True)
class LeaseState:
    holder: str
    acquired_at: datetime | None
    expires_at: datetime | None

    def active(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return bool(self.holder) and self.expires_at is not None and self.expires_at > now


def _ensure_row() -> None:
    if SchedulerLease.objects.filter(name=NAME).exists():
        return
    try:
        with transaction.atomic():
            SchedulerLease.objects.create(name=NAME)
    except IntegrityError:
        pass  # another instance created it first


def acquire(holder: str, *, now: datetime | None = None) -> bool:
    """Take the lease if free, expired or already ours; True if we hold it."""
    now = now or timezone.now()
    _ensure_row()
    expires = now + timedelta(seconds=conf.scheduler_lease_seconds())
    if renew(holder, now=now):
        return True
    return bool(
        SchedulerLease.objects.filter(name=NAME)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__lte=now))
        .update(holder=holder, acquired_at=now, expires_at=expires)
    )


def renew(holder: str, *, now: datetime | None = None) -> bool:
    """Extend the lease only while this instance still holds it unexpired."""
    now = now or timezone.now()
    expires = now + timedelta(seconds=conf.scheduler_lease_seconds())
    return bool(
        SchedulerLease.objects.filter(name=NAME, holder=holder, expires_at__gt=now).update(
            expires_at=expires
        )
    )


def release(holder: str, *, now: datetime | None = None) -> bool:
    """Give the lease up at once (clean stop): the next instance need not wait."""
    now = now or timezone.now()
    return bool(SchedulerLease.objects.filter(name=NAME, holder=holder).update(expires_at=now))


def current() -> LeaseState:
    row = SchedulerLease.objects.filter(name=NAME).first()
    if row is None:
        return LeaseState("", None, None)
    return LeaseState(row.holder, row.acquired_at, row.expires_at)
