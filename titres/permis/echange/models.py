"""The foreign licence exchanged for a French one, kept in the SNPC file as
surrendered ("remis à l'autorité"). Imported by titres/permis/models.py
(the app's model registry)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ForeignLicenceStatus(models.TextChoices):
    REMIS = "remis", _("Remis à l’autorité")


class ForeignLicence(models.Model):
    record = models.ForeignKey(
        "permis.LicenceRecord",
        on_delete=models.CASCADE,
        related_name="foreign_licences",
        verbose_name=_("dossier SNPC"),
    )
    demarche = models.OneToOneField(
        "procedures.Demarche",
        on_delete=models.PROTECT,
        related_name="foreign_licence",
        verbose_name=_("demande d’échange"),
    )
    country_code = models.CharField(_("code du pays ou de l’autorité"), max_length=10)
    country_name = models.CharField(_("pays ou autorité de délivrance"), max_length=100)
    number = models.CharField(_("numéro du permis étranger"), max_length=30)
    issued_on = models.DateField(_("délivré le"))
    # [{"categorie": "B", "date": "2015-06-01"}]: the French categories given
    # in exchange, with the date each was obtained abroad.
    categories = models.JSONField(_("catégories échangées"), default=list)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=ForeignLicenceStatus.choices,
        default=ForeignLicenceStatus.REMIS,
    )
    surrendered_on = models.DateField(_("remis le"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("permis étranger échangé")
        verbose_name_plural = _("permis étrangers échangés")
        ordering = ["-surrendered_on", "-id"]

    def __str__(self):
        return f"{self.country_name} {self.number}"

    @property
    def category_codes(self) -> str:
        return ", ".join(entry["categorie"] for entry in self.categories)
