from django.db import models
from django.utils.translation import gettext_lazy as _


class LicenceState(models.TextChoices):
    """State of a licence in the national file (SNPC)."""

    VALIDE = "valide", _("Valide")
    SUSPENDU = "suspendu", _("Suspendu")
    ANNULE = "annule", _("Annulé")
    INVALIDE = "invalide", _("Invalidé (solde de points nul)")
    # Inscription validated, NEPH attributed, no licence yet (issue 19).
    EN_FORMATION = "formation", _("En formation")


class Sex(models.TextChoices):
    FEMME = "F", _("Femme")
    HOMME = "M", _("Homme")


class Category(models.TextChoices):
    """Driving licence categories (directive 2006/126/CE), in display order."""

    AM = "AM", "AM"
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    A = "A", "A"
    B1 = "B1", "B1"
    B = "B", "B"
    BE = "BE", "BE"
    C1 = "C1", "C1"
    C1E = "C1E", "C1E"
    C = "C", "C"
    CE = "CE", "CE"
    D1 = "D1", "D1"
    D1E = "D1E", "D1E"
    D = "D", "D"
    DE = "DE", "DE"


# Heavy vehicle categories are only valid for 5 years (medical check);
# the others have no end of validity of their own.
HEAVY_CATEGORIES = frozenset({"C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"})
CATEGORY_ORDER = {value: index for index, value in enumerate(Category.values)}


class TitleStatus(models.TextChoices):
    """Status of one physical licence card."""

    VALIDE = "valide", _("Valide")
    PERDU = "perdu", _("Perdu")
    VOLE = "vole", _("Volé")
    DETERIORE = "deteriore", _("Détérioré")
    REMPLACE = "remplace", _("Remplacé")


# What happens to the previous card when a replacement is produced, by
# request motif (codes of the "Permis de conduire" téléprocédure).
OLD_TITLE_STATUS_BY_MOTIF = {
    "perte": TitleStatus.PERDU,
    "vol": TitleStatus.VOLE,
    "deterioration": TitleStatus.DETERIORE,
    "expiration": TitleStatus.REMPLACE,
    "changement_etat_civil": TitleStatus.REMPLACE,
}


class PhotographerKind(models.TextChoices):
    PHOTOGRAPHE = "photographe", _("Photographe agréé")
    CABINE = "cabine", _("Cabine photo agréée")


class LicenceRejectReason(models.TextChoices):
    """Reasons for rejecting a licence file that come from its own checks
    (the back office adds the reasons common to every file)."""

    IDENTITE_INCOHERENTE = "identite_incoherente", _("État civil incohérent avec le dossier SNPC")
    DROITS_INSUFFISANTS = "droits", _("Droits à conduire suspendus, annulés ou invalidés")
    PHOTO_NON_CONFORME = "photo", _("Photo ou signature non conforme")


class PointsReason(models.TextChoices):
    """Why a licence's points balance changed (PointsCredit.reason): the
    label the holder reads in the history of their points."""

    PROBATOIRE = "probatoire", _("Crédit annuel du permis probatoire")
    STAGE = "stage", _("Stage de sensibilisation à la sécurité routière")
    INFRACTION = "infraction", _("Retrait de points (infraction)")
