"""Announcements operators publish on the portal and the maintenance switch
(seed 000 §1.3, §1.4, §1.8)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import AnnouncementKind, Audience


class AnnouncementQuerySet(models.QuerySet):
    def shown_at(self, moment):
        """Published at `moment`: after its start, before its end, not withdrawn."""
        return self.filter(withdrawn_at__isnull=True, starts_at__lte=moment).filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=moment)
        )

    def for_audiences(self, audiences):
        return self.filter(audience__in=list(audiences))


class Announcement(models.Model):
    kind = models.CharField(
        _("type"),
        max_length=12,
        choices=AnnouncementKind.choices,
        default=AnnouncementKind.INFORMATION,
    )
    audience = models.CharField(
        _("public visé"), max_length=16, choices=Audience.choices, default=Audience.TOUS
    )
    title = models.CharField(_("titre"), max_length=120)
    body = models.TextField(_("texte"), max_length=1000)
    starts_at = models.DateTimeField(
        _("affichée à partir du"),
        default=timezone.now,
        help_text=_("Pour une maintenance, la date à laquelle les usagers en sont prévenus."),
    )
    ends_at = models.DateTimeField(
        _("affichée jusqu’au"),
        null=True,
        blank=True,
        help_text=_(
            "Vide : jusqu’au retrait. Pour une maintenance : la fin des travaux par défaut."
        ),
    )
    work_starts_at = models.DateTimeField(_("début des travaux"), null=True, blank=True)
    work_ends_at = models.DateTimeField(_("fin des travaux"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("publiée par"),
        editable=False,
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True, editable=False)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("annonce")
        verbose_name_plural = _("annonces")
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="annuaire_announce_dates")]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("La fin de l’affichage doit être après son début.")
        if self.kind == AnnouncementKind.MAINTENANCE:
            if not self.work_starts_at:
                errors["work_starts_at"] = _("Indiquez le début des travaux.")
            if not self.work_ends_at:
                errors["work_ends_at"] = _("Indiquez la fin des travaux.")
            if (
                self.work_starts_at
                and self.work_ends_at
                and self.work_ends_at <= self.work_starts_at
            ):
                errors["work_ends_at"] = _("La fin des travaux doit être après leur début.")
            if self.work_starts_at and self.starts_at and self.work_starts_at < self.starts_at:
                errors["starts_at"] = _(
                    "Une maintenance s’annonce avant le début des travaux, pas après."
                )
        elif self.work_starts_at or self.work_ends_at:
            errors["kind"] = _("Seule une maintenance programmée a des dates de travaux.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_maintenance(self) -> bool:
        return self.kind == AnnouncementKind.MAINTENANCE


class MaintenanceMode(models.Model):
    """The operator's switch (one row). The environment variable
    MAINTENANCE_MODE turns it on too, for a deployment, without a row."""

    is_on = models.BooleanField(_("maintenance en cours"), default=False)
    message = models.CharField(
        _("message affiché"),
        max_length=300,
        blank=True,
        help_text=_("Vide : le message habituel d’indisponibilité."),
    )
    expected_end = models.DateTimeField(_("retour prévu"), null=True, blank=True)
    switched_at = models.DateTimeField(_("modifiée le"), null=True, editable=False)
    switched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("par"),
    )

    class Meta:
        verbose_name = _("mode maintenance")
        verbose_name_plural = _("mode maintenance")

    def __str__(self):
        return str(_("Maintenance en cours") if self.is_on else _("Portail ouvert"))
