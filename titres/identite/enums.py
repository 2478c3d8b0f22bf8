from django.db import models
from django.utils.translation import gettext_lazy as _


class TitleKind(models.TextChoices):
    CNI = "cni", _("Carte nationale d’identité")
    PASSEPORT = "passeport", _("Passeport")


class Motif(models.TextChoices):
    PREMIERE = "premiere", _("Première demande")
    RENOUVELLEMENT = "renouvellement", _("Renouvellement")
    PERTE = "perte", _("Perte")
    VOL = "vol", _("Vol")
    ETAT_CIVIL = "etat_civil", _("Changement d’état civil")
    ADRESSE = "adresse", _("Changement d’adresse")


class ApplicationStatus(models.TextChoices):
    """Statuses of a pré-demande number in the ANTS coordination API. Only
    `validated` numbers may be booked; `unknown` is never stored (it is the
    answer for a number absent from the register)."""

    VALIDATED = "validated", _("Validée (rendez-vous possible)")
    CONSUMED = "consumed", _("Dossier recueilli en mairie")
    DECLARED = "declared", _("Déclarée, non reconnue officiellement")
    EXPIRED = "expired", _("Expirée")


UNKNOWN_STATUS = "unknown"


class AppointmentStatus(models.TextChoices):
    ACTIVE = "active", _("Réservé")
    CANCELLED = "cancelled", _("Annulé")
    HONOURED = "honoured", _("Honoré")
    NO_SHOW = "no_show", _("Absent")
    RELEASED = "released", _("Libéré automatiquement (passé, non honoré)")


class AppointmentSource(models.TextChoices):
    PORTAL = "portal", _("Portail")
    VENDOR = "vendor", _("Logiciel d’un éditeur")


class IdentityRejectReason(models.TextChoices):
    """Reasons for rejecting an ID card or passport file that come from its
    own checks (the back office adds the reasons common to every file)."""

    ETAT_CIVIL = "etat_civil", _("État civil non établi par l’acte de naissance")
    NATIONALITE = "nationalite", _("Nationalité française non justifiée")
    PHOTO_NON_CONFORME = "photo", _("Photo ou signature non conforme")
