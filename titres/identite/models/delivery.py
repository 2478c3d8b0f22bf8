"""A produced title waiting at the town hall where the file was taken."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .meeting_points import MeetingPoint


class DeliveryStatus(models.TextChoices):
    DISPONIBLE = "disponible", _("Titre disponible en mairie")
    REMIS = "remis", _("Titre remis")
    DETRUIT = "detruit", _("Titre non retiré, détruit")


class TitleDelivery(models.Model):
    demarche = models.OneToOneField(
        "procedures.Demarche", on_delete=models.PROTECT, related_name="title_delivery"
    )
    meeting_point = models.ForeignKey(
        MeetingPoint, on_delete=models.PROTECT, related_name="deliveries"
    )
    status = models.CharField(
        _("état"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.DISPONIBLE
    )
    available_at = models.DateTimeField(_("disponible depuis le"))
    # Set when the title has waited longer than the keeping period.
    flagged_at = models.DateTimeField(_("signalé non retiré le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("remis ou détruit le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["available_at"]
        verbose_name = _("titre à remettre")
        verbose_name_plural = _("titres à remettre")

    def __str__(self):
        return f"{self.demarche_id} {self.get_status_display()}"
