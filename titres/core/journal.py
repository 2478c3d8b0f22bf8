"""The audit journal: append without a shared lock, seal a SHA-256 chain in order.

Writers (`record_event`) only INSERT their entry, inside their own
transaction: no row is locked, so audited writes scale with app servers
instead of queueing behind one row. The entry's `id` comes from the table's
sequence; it has no chain position (`sequence`) nor hash yet.

One sealer (`seal_pending`: `manage.py seal_journal --follow` beside the
workers, and `verify_journal` before it checks) takes the JournalHead row
lock, gives the committed unsealed entries their chain position in id order
and links each to the previous entry's hash. An entry whose transaction
commits late is simply sealed in a later batch: nothing is ever re-sealed.
Only the sealer locks the head, and it locks nothing else, so the journal
takes no part in the project's lock order (titres/procedures/locks.py).
"""

import hashlib
import ipaddress
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .audit import AuditCode
from .audit_renames import RENAMED_CODES
from .checkpoints import Checkpoint
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
    """Append one event to the journal, in the caller's transaction.

    A single INSERT (no lock, no savepoint): the entry is sealed into the
    chain by the sealer once the caller's transaction has committed.

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
    entry = AuditEvent(
        created_at=timezone.now(),
        event=event.value,
        actor=actor if label else None,
        actor_label=label,
        actor_role=actor_role or role,
        ip_address=client_ip(request),
        object_type=object_type,
        object_id=str(object_id),
        data=json.loads(json.dumps(data or {}, default=str)),
    )
    entry.save(force_insert=True)
    return entry


SEAL_BATCH = 1000


def seal_pending(*, batch_size: int = SEAL_BATCH) -> int:
    """Chain every committed unsealed entry, oldest id first; returns how many.

    Each batch is one transaction holding the JournalHead lock, so two
    sealers (a second `--follow` by mistake, a verification) take turns and
    never fork the chain."""
    sealed = 0
    while True:
        count = _seal_batch(batch_size)
        sealed += count
        if count < batch_size:
            return sealed


@transaction.atomic
def _seal_batch(batch_size: int) -> int:
    head, _ = JournalHead.objects.select_for_update().get_or_create(pk=1)
    pending = list(AuditEvent.objects.filter(sequence__isnull=True).order_by("id")[:batch_size])
    previous, sequence = head.last_hash, head.last_sequence
    for entry in pending:
        sequence += 1
        entry.sequence, entry.previous_hash = sequence, previous
        entry.hash = previous = compute_hash(entry)
    if pending:
        _store_seals(pending)
        head.last_hash, head.last_sequence = previous, sequence
        head.save(update_fields=["last_hash", "last_sequence"])
    return len(pending)


def _store_seals(entries: list[AuditEvent]) -> None:
    """One UPDATE for the batch. On PostgreSQL a join on VALUES: Django's
    bulk_update writes a CASE per column that PostgreSQL evaluates row by row
    against every branch (quadratic, the sealer's cost at 1,000 entries)."""
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_update(
            entries, ["sequence", "previous_hash", "hash"], batch_size=200
        )
        return
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    rows = ", ".join(["(%s::bigint, %s::bigint, %s, %s)"] * len(entries))
    params = [value for e in entries for value in (e.pk, e.sequence, e.previous_hash, e.hash)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS e SET sequence = v.seq, previous_hash = v.prev, hash = v.hash "  # noqa: S608 - table name from the model, values bound
            f"FROM (VALUES {rows}) AS v(id, seq, prev, hash) WHERE e.id = v.id",
            params,
        )


@dataclass
class VerificationResult:
    checked: int
    broken: AuditEvent | None = None
    reason: str = ""
    # Entries written but not sealed yet (the sealer is behind or stopped).
    pending: int = 0
    # The number of the first entry that can no longer be trusted, when the
    # chain disagrees with a signed checkpoint (the entry may be gone).
    first_untrusted: int | None = None
    # The last signed checkpoint the chain still matches.
    last_good: Checkpoint | None = None
    matched: int = 0

    @property
    def ok(self) -> bool:
        return not self.reason

    @property
    def broken_sequence(self) -> int:
        if self.first_untrusted is not None:
            return self.first_untrusted
        return self.broken.sequence if self.broken else self.checked + 1


def verify_chain(
    batch_size: int = 5000, *, checkpoints: Sequence[Checkpoint] = ()
) -> VerificationResult:
    """Recompute the sealed chain and compare it with the signed checkpoints
    (titres/core/checkpoints.py): a chain rewritten after deletions is
    consistent in itself, but no longer ends at the checkpointed heads."""
    previous = GENESIS
    expected_sequence = 1
    checked = matched = 0
    last_good: Checkpoint | None = None
    anchors: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        anchors.setdefault(checkpoint.sequence, []).append(checkpoint)

    def untrusted(reason: str) -> VerificationResult:
        first = (last_good.sequence if last_good else 0) + 1
        return VerificationResult(
            checked,
            AuditEvent.objects.filter(sequence=first).first(),
            reason,
            first_untrusted=first,
            last_good=last_good,
            matched=matched,
        )

    sealed = AuditEvent.objects.filter(sequence__isnull=False).order_by("sequence")
    for entry in sealed.iterator(chunk_size=batch_size):
        if entry.sequence != expected_sequence:
            return VerificationResult(checked, entry, f"séquence attendue {expected_sequence}")
        if entry.previous_hash != previous:
            return VerificationResult(checked, entry, "lien vers l'entrée précédente rompu")
        if entry.legacy_event and RENAMED_CODES.get(entry.legacy_event) != entry.event:
            return VerificationResult(checked, entry, "code d'événement renommé altéré")
        if compute_hash(entry) != entry.hash:
            return VerificationResult(checked, entry, "contenu modifié (empreinte différente)")
        for checkpoint in anchors.get(entry.sequence, ()):
            if checkpoint.hash != entry.hash:
                return untrusted(
                    f"chaîne réécrite : l'entrée n° {entry.sequence} diffère du point de "
                    f"contrôle signé {checkpoint.name} (n° {checkpoint.sequence}, "
                    f"{checkpoint.created_at})"
                )
            last_good = checkpoint
            matched += 1
        previous = entry.hash
        expected_sequence += 1
        checked += 1
    beyond = [c for c in checkpoints if c.sequence > checked]
    if beyond:
        latest = max(beyond, key=lambda c: c.sequence)
        return untrusted(
            f"entrées supprimées : {latest.sequence} entrées attestées par le point de "
            f"contrôle signé {latest.name} ({latest.created_at}), {checked} trouvées"
        )
    head = JournalHead.objects.filter(pk=1).first()
    if head and head.last_sequence != checked:
        return VerificationResult(
            checked,
            None,
            f"entrées supprimées : {head.last_sequence} attendues, {checked} trouvées",
        )
    pending = AuditEvent.objects.filter(sequence__isnull=True).count()
    return VerificationResult(checked, pending=pending, last_good=last_good, matched=matched)
