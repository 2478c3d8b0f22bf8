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


class EntryKind(models.TextChoices):
    """The kinds of places of the directory (seed 000 §1.2, §1.3)."""

    PRO_SIV = "pro_siv", _("Professionnel de l’automobile habilité SIV")
    PHOTOGRAPHE = "photographe", _("Photographe agréé")
    CABINE = "cabine", _("Cabine photo agréée")
    MAIRIE = "mairie", _("Mairie équipée d’un dispositif de recueil")
    POINT_NUMERIQUE = "point_numerique", _("Point d’accueil numérique")


class EntrySource(models.TextChoices):
    HABILITATION = "habilitation", _("Habilitation SIV")
    IMPORT = "import", _("Import CSV")
    LIEU_RDV = "lieu_rdv", _("Lieu de rendez-vous d’une mairie")


# Kinds an operator imports from a CSV file (docs/annuaire.md).
IMPORTED_KINDS = (EntryKind.PHOTOGRAPHE, EntryKind.CABINE, EntryKind.POINT_NUMERIQUE)
