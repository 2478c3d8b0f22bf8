"""The audit journal: append and verify a SHA-256 hash chain."""

import hashlib
import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .audit import AuditCode
from .audit_renames import RENAMED_CODES
from .models import AuditEvent, JournalHead

GENESIS = "0" * 64


def canonical_encoding(entry: AuditEvent) -> bytes:
    """Deterministic bytes for an entry: sorted keys, no spaces, UTC ISO dates."""
    payload = {
        "sequence": entry.sequence,
        "created_at": entry.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        # Entries written before a rename hash the code they were written with.
        "event": entry.legacy_event or entry.event,
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "actor_role": entry.actor_role,
        "ip_address": entry.ip_address,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "data": entry.data,
        "previous_hash": entry.previous_hash,
    }
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def compute_hash(entry: AuditEvent) -> str:
    return hashlib.sha256(canonical_encoding(entry)).hexdigest()


def _describe_actor(actor) -> tuple[str, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "", ""
    label = getattr(actor, "username", "") or str(actor.pk)
    role = getattr(actor, "audit_role", "") or ""
    return label, role


def client_ip(request) -> str | None:
    """The address of the person, not of our reverse proxy.

    Behind `TRUSTED_PROXY_COUNT` proxies, the client is the Nth address from
    the right of X-Forwarded-For (the ones on its left can be forged by the
    client). Without proxies, REMOTE_ADDR is the client."""
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies and (address := _valid_ip(forwarded[-proxies])):
            return address
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def _valid_ip(value: str) -> str | None:
    # The journal column is an inet on PostgreSQL: anything that is not an
    # address (a unix socket peer, a malformed header) is stored as unknown.
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


@transaction.atomic
def record_event(
    event: AuditCode,
    *,
    actor=None,
    actor_role: str = "",
    request=None,
    target=None,
    object_type: str = "",
    object_id: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one event to the journal; joins the caller's transaction.

    `event` is a member of an app's AuditCode enum (titres/<app>/audit.py);
    anything else, a plain string included, is refused. `target` may be a
    model instance; its label and primary key are stored.
    """
    if not isinstance(event, AuditCode):
        raise TypeError(f"unknown audit code {event!r}: declare it in the app's audit.py enum")
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    label, role = _describe_actor(actor)
    head, _ = JournalHead.objects.select_for_update().get_or_create(pk=1)
    entry = AuditEvent(
        sequence=head.last_sequence + 1,
        created_at=timezone.now(),
        event=event.value,
        actor=actor if label else None,
        actor_label=label,
        actor_role=actor_role or role,
        ip_address=client_ip(request),
        object_type=object_type,
        object_id=str(object_id),
        data=json.loads(json.dumps(data or {}, default=str)),
        previous_hash=head.last_hash,
    )
    entry.hash = compute_hash(entry)
    entry.save(force_insert=True)
    head.last_hash = entry.hash
    head.last_sequence = entry.sequence
    head.save(update_fields=["last_hash", "last_sequence"])
    return entry


@dataclass
class VerificationResult:
    checked: int
    broken: AuditEvent | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


def verify_chain(batch_size: int = 5000) -> VerificationResult:
    previous = GENESIS
    expected_sequence = 1
    checked = 0
    for entry in AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size):
        if entry.sequence != expected_sequence:
            return VerificationResult(checked, entry, f"séquence attendue {expected_sequence}")
        if entry.previous_hash != previous:
            return VerificationResult(checked, entry, "lien vers l'entrée précédente rompu")
        if entry.legacy_event and RENAMED_CODES.get(entry.legacy_event) != entry.event:
            return VerificationResult(checked, entry, "code d'événement renommé altéré")
        if compute_hash(entry) != entry.hash:
            return VerificationResult(checked, entry, "contenu modifié (empreinte différente)")
        previous = entry.hash
        expected_sequence += 1
        checked += 1
    head = JournalHead.objects.filter(pk=1).first()
    if head and head.last_sequence != checked:
        return VerificationResult(
            checked,
            None,
            f"entrées supprimées : {head.last_sequence} attendues, {checked} trouvées",
        )
    return VerificationResult(checked)
