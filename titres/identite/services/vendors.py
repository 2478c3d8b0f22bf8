"""Booking software vendors and their API tokens."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from titres.core.journal import record_event

from ..audit import IdentiteEvent
from ..models import Vendor


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_vendor(*, name: str, actor, request=None) -> tuple[Vendor, str]:
    """The vendor and its token, shown once (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    vendor = Vendor.objects.create(name=name, token_hash=hash_token(token), token_hint=token[:6])
    record_event(IdentiteEvent.VENDOR_CREATED, actor=actor, request=request, target=vendor)
    return vendor, token


@transaction.atomic
def rotate_token(*, vendor: Vendor, actor, request=None) -> str:
    token = secrets.token_urlsafe(32)
    vendor.token_hash = hash_token(token)
    vendor.token_hint = token[:6]
    vendor.save(update_fields=["token_hash", "token_hint"])
    record_event(IdentiteEvent.VENDOR_TOKEN_ROTATED, actor=actor, request=request, target=vendor)
    return token


def authenticate(token: str) -> Vendor | None:
    if not token or len(token) > 200:
        return None
    vendor = Vendor.objects.filter(token_hash=hash_token(token), is_active=True).first()
    if vendor is not None:
        # At most one write a minute per vendor: the column says "still
        # calling", not every call (the call log is the journal's job).
        now = timezone.now()
        if vendor.last_used_at is None or (now - vendor.last_used_at).total_seconds() > 60:
            Vendor.objects.filter(pk=vendor.pk).update(last_used_at=now)
    return vendor
