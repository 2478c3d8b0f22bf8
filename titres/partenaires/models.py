import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret

from .enums import PartnerState

TOKEN_VALIDITY_MONTHS = 18


def validate_siret(value: str) -> None:
    if not siret.is_valid(value or ""):
        raise ValidationError(_("Le numéro SIRET n’est pas valide (14 chiffres, clé de Luhn)."))


def months_later(start: dt.datetime, months: int) -> dt.datetime:
    """Same day `months` later (the last day of the month when it has fewer)."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return start.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(start)


class Partner(models.Model):
    """A public body using the data API (seed 004 §1–§4)."""

    name = models.CharField(_("organisation"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, validators=[validate_siret])
    state = models.CharField(
        _("état"), max_length=10, choices=PartnerState.choices, default=PartnerState.ACTIVE
    )
    # Suspension or termination (seed 004 §5): why, and since when. Written
    # by services.suspend_partner / terminate_partner, which tell the partner.
    state_reason = models.CharField(_("motif"), max_length=500, blank=True)
    state_since = models.DateTimeField(_("depuis le"), null=True, blank=True)
    # Contacts (seed 004 §4): kept while the account is active, erased when
    # it is terminated (services.terminate_partner), hence blank=True.
    technical_email = models.EmailField(_("courriel du responsable technique"), blank=True)
    technical_phone = models.CharField(
        _("téléphone du responsable technique"), max_length=20, blank=True
    )
    business_email = models.EmailField(_("courriel du responsable métier"), blank=True)
    business_phone = models.CharField(
        _("téléphone du responsable métier"), max_length=20, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Portal accounts (profile "personne morale") that see its dashboard.
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="partner_organisations",
        verbose_name=_("comptes du portail"),
    )

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")

    def __str__(self):
        return f"{self.name} ({self.siret})"

    @property
    def contact_emails(self) -> list[str]:
        return sorted({self.technical_email, self.business_email} - {""})


class ApiToken(models.Model):
    """One token per démarche of a partner, with the scopes that démarche
    needs. Only a hash of the secret is stored; the secret is shown once."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tokens")
    procedure = models.CharField(_("démarche"), max_length=200)
    legal_basis = models.CharField(_("base légale"), max_length=300)
    legal_reference = models.CharField(_("référence du texte"), max_length=200)
    scopes = models.JSONField(_("périmètre"), default=list)
    # Public part of the token, to find it without scanning every hash.
    key_id = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    ip_allowlist = models.JSONField(
        _("adresses IP autorisées"),
        default=list,
        blank=True,
        help_text=_("Adresses ou réseaux (CIDR) ; vide : toute adresse."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    renewed_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewed_by"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Days-before-expiry thresholds already e-mailed (lifecycle.NOTICE_DAYS).
    expiry_notices = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("jeton")
        verbose_name_plural = _("jetons")

    def __str__(self):
        return f"{self.partner.name} — {self.procedure} ({self.key_id})"


class CallLog(models.Model):
    """One call of the API. Parameters only as a keyed hash (seed 004 §4):
    enough to tell two identical requests apart from two different ones,
    never the citizen's data."""

    token = models.ForeignKey(
        ApiToken, null=True, blank=True, on_delete=models.CASCADE, related_name="calls"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=200)
    params_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField()
    error_code = models.CharField(max_length=5, blank=True)
    latency_ms = models.PositiveIntegerField()
    request_id = models.CharField(max_length=128)
    # Set when the row is made (calllog.record), before it waits in Redis:
    # the flush writes a batch again after a crash without doubling it
    # (ignore_conflicts). Null for the rows written before it existed.
    entry_id = models.UUIDField(null=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("appel")
        verbose_name_plural = _("appels")
        indexes = [models.Index(fields=["token", "-at"])]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M:%S} {self.path} {self.status_code}"


class Retirement(models.Model):
    """The scheduled retirement of an endpoint or of a whole version
    (seed 004 §6.1: announced six months ahead). Written through
    retirements.schedule_retirement, which tells the partners."""

    target = models.CharField(
        _("chemin"),
        max_length=200,
        help_text=_("/api/v1/ (toute la version) ou /api/v1/vehicule (un point d’accès)."),
    )
    sunset_on = models.DateField(_("retiré le"))
    note = models.CharField(_("message aux partenaires"), max_length=500, blank=True)
    announced_at = models.DateTimeField(_("annoncé le"), default=timezone.now)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("programmé par"),
    )

    class Meta:
        verbose_name = _("retrait programmé")
        verbose_name_plural = _("retraits programmés")
        ordering = ["sunset_on"]

    def __str__(self):
        return f"{self.target} — {self.sunset_on:%d/%m/%Y}"


class AvailabilityProbe(models.Model):
    """One run of the portal's own health probe (jobs: `probe_availability`,
    every minute). The monthly availability shown on the status page and by
    /api/v1/status is the share of successful probes (availability.py)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    ok = models.BooleanField()
    latency_ms = models.PositiveIntegerField()
    # What failed, for the operators (never personal data).
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("sonde de disponibilité")
        verbose_name_plural = _("sondes de disponibilité")

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {'ok' if self.ok else self.detail}"
