"""Issued ID cards and passports, as far as verifying one by its number
needs: kind, validity, declarations of loss or theft. The holder's identity
stays on the démarche; the partner API never reads it (titres.partenaires)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import TitleKind


class TitleState(models.TextChoices):
    VALIDE = "valide", _("Valide")
    EXPIRE = "expire", _("Expiré")
    DECLARE_PERDU = "declare_perdu", _("Déclaré perdu")
    DECLARE_VOLE = "declare_vole", _("Déclaré volé")


class IssuedTitle(models.Model):
    number = models.CharField(_("numéro du titre"), max_length=12, unique=True)
    kind = models.CharField(_("titre"), max_length=12, choices=TitleKind.choices)
    issued_on = models.DateField(_("délivré le"))
    expires_on = models.DateField(_("valable jusqu’au"))
    declared_lost_on = models.DateField(_("déclaré perdu le"), null=True, blank=True)
    declared_stolen_on = models.DateField(_("déclaré volé le"), null=True, blank=True)
    demarche = models.ForeignKey(
        "procedures.Demarche", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("titre d’identité délivré")
        verbose_name_plural = _("titres d’identité délivrés")

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def state(self, today) -> str:
        """Theft first, then loss: a title declared stolen stays so even when
        it has expired since (a control must not read it as merely expired)."""
        if self.declared_stolen_on:
            return TitleState.DECLARE_VOLE
        if self.declared_lost_on:
            return TitleState.DECLARE_PERDU
        if self.expires_on < today:
            return TitleState.EXPIRE
        return TitleState.VALIDE
