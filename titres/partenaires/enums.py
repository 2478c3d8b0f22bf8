from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerState(models.TextChoices):
    ACTIVE = "actif", _("Actif")
    SUSPENDED = "suspendu", _("Suspendu")
    TERMINATED = "resilie", _("Résilié")


class Scope(models.TextChoices):
    """What a token may read, by group of fields. A response never holds a
    field of a group the token lacks; `meta.withheld` names those groups."""

    PERMIS_VALIDITE = "permis.validite", _("Permis : état et validité")
    PERMIS_CATEGORIES = "permis.categories", _("Permis : catégories et leurs dates")
    PERMIS_POINTS = "permis.points", _("Permis : solde de points")


PERMIS_SCOPES = (Scope.PERMIS_VALIDITE, Scope.PERMIS_CATEGORIES, Scope.PERMIS_POINTS)
