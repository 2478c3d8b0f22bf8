"""Sessions, attendees and the SNPC's history of points credits. Imported
by titres/permis/models.py (the app's model registry)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import PointsReason


class SessionStatus(models.TextChoices):
    OUVERTE = "ouverte", _("Ouverte")
    CLOTUREE = "cloturee", _("Clôturée")


class AttendeeStatus(models.TextChoices):
    INSCRIT = "inscrit", _("Inscrit")
    A_VERIFIER = "a_verifier", _("Différences à vérifier")
    CREDITE = "credite", _("Points crédités")
    REFUSE = "refuse", _("Refusé")


class StageSession(models.Model):
    """A two-day awareness course held by a CSSR."""

    centre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="stage_sessions",
        verbose_name=_("centre (CSSR)"),
    )
    approval_number = models.CharField(_("numéro d’agrément du centre"), max_length=40)
    starts_on = models.DateField(_("premier jour"))
    ends_on = models.DateField(_("second jour"))
    address = models.CharField(_("adresse"), max_length=200)
    postal_code = models.CharField(_("code postal"), max_length=5)
    commune = models.CharField(_("commune"), max_length=100)
    facilitators = models.CharField(
        _("animateurs"),
        max_length=300,
        help_text=_("Le formateur BAFM et le psychologue, séparés par des virgules."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.OUVERTE
    )
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stage de récupération de points")
        verbose_name_plural = _("stages de récupération de points")
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return f"Stage {self.starts_on:%d/%m/%Y} {self.commune}"

    @property
    def is_open(self) -> bool:
        return self.status == SessionStatus.OUVERTE


class StageAttendee(models.Model):
    session = models.ForeignKey(StageSession, on_delete=models.CASCADE, related_name="attendees")
    neph = models.CharField(_("NEPH"), max_length=12)
    birth_name = models.CharField(_("nom de naissance"), max_length=100)
    first_names = models.CharField(_("prénoms"), max_length=200)
    birth_date = models.DateField(_("date de naissance"))
    email = models.EmailField(_("adresse électronique"))
    record = models.ForeignKey(
        "permis.LicenceRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stage_attendances",
    )
    match = models.JSONField(_("rapprochement SNPC"), default=dict)
    status = models.CharField(
        _("statut"), max_length=12, choices=AttendeeStatus.choices, default=AttendeeStatus.INSCRIT
    )
    refusal = models.CharField(_("motif du refus"), max_length=300, blank=True)
    points_before = models.PositiveSmallIntegerField(null=True, blank=True)
    points_after = models.PositiveSmallIntegerField(null=True, blank=True)
    credited_at = models.DateTimeField(_("crédité le"), null=True, blank=True)

    class Meta:
        verbose_name = _("stagiaire")
        verbose_name_plural = _("stagiaires")
        ordering = ["birth_name", "first_names"]
        constraints = [
            models.UniqueConstraint(fields=["session", "neph"], name="permis_stage_neph_once")
        ]

    def __str__(self):
        return f"{self.birth_name} {self.first_names} ({self.neph})"


class PointsCredit(models.Model):
    """One change of a licence's points balance, as the SNPC keeps it."""

    record = models.ForeignKey(
        "permis.LicenceRecord", on_delete=models.CASCADE, related_name="points_history"
    )
    delta = models.SmallIntegerField(_("variation"))
    balance_after = models.PositiveSmallIntegerField(_("solde après"))
    reason = models.CharField(_("motif"), max_length=100)
    reference = models.CharField(_("référence"), max_length=40, blank=True)
    on = models.DateField(_("date d’effet"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mouvement de points")
        verbose_name_plural = _("mouvements de points")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["record", "reason", "on"], name="permis_points_reason")]
        # One credit per probation anniversary, even if two runs overlap.
        constraints = [
            models.UniqueConstraint(
                fields=["record", "reference"],
                condition=models.Q(reason="probatoire"),
                name="permis_points_probation_once",
            )
        ]

    def __str__(self):
        return f"{self.record_id} {self.delta:+d} ({self.on:%d/%m/%Y})"

    @property
    def delta_display(self) -> str:
        """ "+2", "−1" (a true minus sign, as printed figures use) or "0"."""
        if self.delta > 0:
            return f"+{self.delta}"
        return f"−{-self.delta}" if self.delta < 0 else "0"

    @property
    def reason_label(self) -> str:
        """What the holder reads: the reason's label, or, for a reason the
        SNPC sent that we do not know, whether points were lost or given."""
        try:
            return str(PointsReason(self.reason).label)
        except ValueError:
            return str(_("Retrait de points") if self.delta < 0 else _("Crédit de points"))
