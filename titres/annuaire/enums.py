from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnouncementKind(models.TextChoices):
    """What an announcement is about; planned maintenance carries the dates
    of the work and is shown on every page ahead of time (seed 000 §1.8)."""

    INFORMATION = "information", _("Information")
    ALERTE = "alerte", _("Avertissement")
    MAINTENANCE = "maintenance", _("Maintenance programmée")


class Audience(models.TextChoices):
    """Who reads an announcement. Visitors who are not signed in read the
    ones for everybody and for the public (they may be citizens)."""

    TOUS = "tous", _("Tout le monde")
    USAGERS = "usagers", _("Usagers (particuliers)")
    PROFESSIONNELS = "professionnels", _("Professionnels (SIV, écoles de conduite, entreprises)")
    MAIRIES = "mairies", _("Mairies équipées d’un dispositif de recueil")
    AGENTS = "agents", _("Agents des services instructeurs")
