from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Account as LedgerAccount
from .enums import (
    BankSessionState,
    LedgerKind,
    PaymentKind,
    PaymentState,
    StampPurpose,
    StampState,
)


def format_amount(cents: int) -> str:
    """French display of an amount in cents: 1 234,50 €."""
    euros, rest = divmod(int(cents), 100)
    grouped = f"{euros:,}".replace(",", "\u202f")
    return f"{grouped},{rest:02d}\u00a0€"


class Payment(models.Model):
    """One card payment request sent to a provider.

    `idempotency_key` is chosen by the caller (the shop form carries one per
    rendering): a retried request or a double click finds the same row, so
    the buyer is never charged twice."""

    idempotency_key = models.CharField(max_length=80, unique=True)
    # Transaction reference shown on the payment page (seed 002: "600014").
    reference = models.CharField(_("référence de la transaction"), max_length=20, unique=True)
    # Unguessable handle for the buyer's return page and receipt download.
    public_token = models.CharField(max_length=64, unique=True)
    provider = models.CharField(_("prestataire"), max_length=30)
    merchant_id = models.CharField(_("identifiant commerçant"), max_length=40)
    kind = models.CharField(_("nature"), max_length=10, choices=PaymentKind.choices)
    purpose = models.CharField(
        _("motif du timbre"), max_length=40, choices=StampPurpose.choices, blank=True
    )
    label = models.CharField(_("libellé"), max_length=200)
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    email = models.EmailField(_("adresse e-mail"))
    state = models.CharField(
        _("état"), max_length=12, choices=PaymentState.choices, default=PaymentState.EN_ATTENTE
    )
    # Where to send the buyer after the purchase (validated same-host path).
    next_url = models.CharField(max_length=500, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    provider_transaction_id = models.CharField(max_length=80, blank=True)
    failure_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="paiement_montant_positif"
            ),
            models.CheckConstraint(
                condition=Q(kind=PaymentKind.FRAIS) | ~Q(purpose=""),
                name="paiement_timbre_a_un_motif",
            ),
        ]

    def __str__(self):
        return f"{self.reference} ({self.amount_display})"

    @property
    def amount_display(self) -> str:
        return format_amount(self.amount_cents)

    @property
    def is_final(self) -> bool:
        return self.state != PaymentState.EN_ATTENTE


class Stamp(models.Model):
    """An electronic tax stamp (timbre fiscal électronique).

    Exactly one state at a time; `holder` names the draft or file that holds
    it ("demarche:<number>") while réservé or consommé and is empty otherwise
    (enforced by the database)."""

    number = models.CharField(_("numéro"), max_length=16, unique=True)
    purpose = models.CharField(_("motif"), max_length=40, choices=StampPurpose.choices)
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    state = models.CharField(
        _("état"), max_length=12, choices=StampState.choices, default=StampState.DISPONIBLE
    )
    email = models.EmailField(_("adresse e-mail de l’acheteur"))
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="stamp")
    purchased_at = models.DateTimeField(_("acheté le"))
    valid_until = models.DateTimeField(_("valable jusqu’au"), db_index=True)
    holder = models.CharField(_("détenu par"), max_length=120, blank=True, db_index=True)
    reserved_at = models.DateTimeField(null=True, blank=True)
    consumed_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("timbre fiscal électronique")
        verbose_name_plural = _("timbres fiscaux électroniques")
        ordering = ["-purchased_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=StampState.values), name="timbre_etat_connu"
            ),
            models.CheckConstraint(
                condition=(Q(state__in=[StampState.RESERVE, StampState.CONSOMME]) & ~Q(holder=""))
                | (~Q(state__in=[StampState.RESERVE, StampState.CONSOMME]) & Q(holder="")),
                name="timbre_detenteur_si_reserve_ou_consomme",
            ),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="timbre_montant_positif"),
        ]

    def __str__(self):
        return self.number

    @property
    def amount_display(self) -> str:
        return format_amount(self.amount_cents)

    @property
    def number_display(self) -> str:
        return " ".join(self.number[i : i + 4] for i in range(0, 16, 4))

    @property
    def is_past_validity(self) -> bool:
        return self.valid_until <= timezone.now()


class LedgerEntry(models.Model):
    """Double-entry ledger: each row moves `amount_cents` from `credit` to
    `debit`. Rows are only ever appended (a refund is a new entry)."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=16, choices=LedgerKind.choices)
    debit = models.CharField(max_length=30, choices=LedgerAccount.choices)
    credit = models.CharField(max_length=30, choices=LedgerAccount.choices)
    amount_cents = models.PositiveIntegerField()
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    stamp = models.ForeignKey(
        Stamp, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    label = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("écriture comptable")
        verbose_name_plural = _("grand livre")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="ecriture_montant_positif"
            ),
            models.CheckConstraint(
                condition=~Q(debit=models.F("credit")), name="ecriture_equilibree"
            ),
            # A payment is cashed once, allocated once and (other fees)
            # refunded at most once; a stamp is issued once and closed (used,
            # refunded, expired) at most once.
            models.UniqueConstraint(
                fields=["payment", "kind"],
                condition=Q(
                    kind__in=[LedgerKind.PAIEMENT, LedgerKind.FRAIS, LedgerKind.REMBOURSEMENT_FRAIS]
                ),
                name="ecriture_unique_par_paiement",
            ),
            models.UniqueConstraint(
                fields=["stamp", "kind"],
                condition=Q(stamp__isnull=False),
                name="ecriture_unique_par_timbre",
            ),
            models.UniqueConstraint(
                fields=["stamp"],
                condition=Q(
                    kind__in=[
                        LedgerKind.CONSOMMATION,
                        LedgerKind.REMBOURSEMENT,
                        LedgerKind.EXPIRATION,
                    ]
                ),
                name="timbre_cloture_une_seule_fois",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {format_amount(self.amount_cents)}"


class PaymentNotification(models.Model):
    """Every server-to-server notification received, valid or not."""

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    provider = models.CharField(max_length=30)
    reference = models.CharField(max_length=20, blank=True, db_index=True)
    payload = models.JSONField(default=dict)
    signature_valid = models.BooleanField(default=False)
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("notification de paiement")
        verbose_name_plural = _("notifications de paiement")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.provider} {self.reference} {self.outcome}"


class BankSession(models.Model):
    """The local bank's own record of a payment on its hosted page.

    This stands for the provider's system: the portal never reads it, it
    only learns the result from the signed notification."""

    token = models.CharField(max_length=64, unique=True)
    merchant_id = models.CharField(max_length=40)
    reference = models.CharField(max_length=20)
    amount_cents = models.PositiveIntegerField()
    label = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    return_url = models.CharField(max_length=500)
    notify_url = models.CharField(max_length=500)
    state = models.CharField(
        max_length=12, choices=BankSessionState.choices, default=BankSessionState.OUVERTE
    )
    card_last4 = models.CharField(max_length=4, blank=True)
    challenge_code = models.CharField(max_length=6, blank=True)
    challenge_attempts = models.PositiveSmallIntegerField(default=0)
    authorisation_number = models.CharField(max_length=12, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    refunded_cents = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("session de la banque locale")
        verbose_name_plural = _("sessions de la banque locale")
        constraints = [
            models.UniqueConstraint(
                fields=["merchant_id", "reference"], name="banque_reference_unique"
            )
        ]

    def __str__(self):
        return f"{self.merchant_id}/{self.reference}"

    @property
    def amount_display(self) -> str:
        return format_amount(self.amount_cents)
