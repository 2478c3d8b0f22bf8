from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JournalHead(models.Model):
    """The end of the sealed chain; its row lock is held by the sealer only
    (titres/core/journal.py), so the chain has no forks while writers never
    wait for it."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
    last_sequence = models.BigIntegerField(default=0)

    def __str__(self):
        return f"journal head #{self.last_sequence}"


class AuditEvent(models.Model):
    """Append-only journal entry ("convention de preuve", seed 000 §1.17).

    Written without a chain position; the sealer then gives it its
    `sequence` and stores the SHA-256 of its canonical encoding joined to the
    previous entry's hash; `manage.py verify_journal` recomputes the chain.
    """

    # Null until sealed (the chain position, not the insertion order: `id`).
    sequence = models.BigIntegerField(unique=True, null=True, editable=False)
    created_at = models.DateTimeField(editable=False, db_index=True)
    event = models.CharField(_("événement"), max_length=80, db_index=True)
    # The code as first written, for entries written before a rename of the
    # codes (titres/core/audit_renames.py): their hash covers this spelling.
    legacy_event = models.CharField(max_length=80, blank=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # DO_NOTHING without a database constraint: deleting an account must
        # not rewrite past entries (that would break the hash chain); the
        # label below keeps who it was.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(max_length=200, blank=True)
    actor_role = models.CharField(max_length=60, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    object_type = models.CharField(max_length=80, blank=True, db_index=True)
    object_id = models.CharField(max_length=80, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Empty until sealed; unique among sealed entries (constraint below).
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        # Insertion order: unsealed entries (no sequence yet) sort in place.
        ordering = ["id"]
        verbose_name = _("événement du journal")
        verbose_name_plural = _("journal d'audit")
        indexes = [
            models.Index(fields=["object_type", "object_id", "sequence"]),
            # The sealer's scan: only the few entries not sealed yet.
            models.Index(
                fields=["id"], condition=models.Q(sequence__isnull=True), name="journal_unsealed"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["hash"], condition=~models.Q(hash=""), name="journal_hash_unique"
            )
        ]

    def __str__(self):
        return f"#{self.sequence} {self.event} {self.created_at:%Y-%m-%d %H:%M:%S}"


class MailboxMessage(models.Model):
    """A message captured by the development mailbox backend."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    subject = models.CharField(max_length=500)
    from_email = models.CharField(max_length=300)
    to = models.JSONField(default=list)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    raw = models.TextField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject


class SentNotification(models.Model):
    """One row per e-mail or SMS handed to its server, keyed by the
    idempotency key chosen when it was queued: a task run again after its
    worker died (the lease expired) finds the row and sends nothing twice.
    Rows older than the retry window are purged by `purge_sent_notifications`."""

    key = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=10)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.channel} {self.key}"


class DemoLoad(models.Model):
    """An app's demonstration data was created: `make run` leaves it alone
    afterwards (people change the demo accounts while trying the portal),
    printing the credentials kept here; `make demo-reset` loads it again."""

    app = models.CharField(max_length=100, unique=True)
    loaded_at = models.DateTimeField()
    credentials = models.JSONField(default=list)

    def __str__(self):
        return self.app


class RefusalTally(models.Model):
    """How many times one anonymous refusal (a forged payment notification,
    a FranceConnect callback nobody started...) came from one address in one
    window. Only the first of a window is journaled; the others are counted
    here, so a flood costs one row per address and window, not one journal
    entry per request (titres.core.refusals)."""

    event = models.CharField(max_length=100)
    kind = models.CharField(max_length=60, blank=True)  # e.g. the reason of the refusal
    source = models.CharField(max_length=45)  # an IP address, or "*" once too many
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        verbose_name = _("refus agrégés")
        verbose_name_plural = _("refus agrégés")
        ordering = ["-window_start", "event", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind", "window_start", "source"],
                name="core_refusal_tally_unique",
            )
        ]

    def __str__(self):
        return f"{self.event} {self.source} ×{self.count}"
