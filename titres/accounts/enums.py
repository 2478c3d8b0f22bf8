from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.TextChoices):
    """The six account profiles of the terms of use (seed 000 §1.5)."""

    PARTICULIER = "particulier", _("Usager (particulier)")
    PRO_SIV = "pro_siv", _("Professionnel de l’automobile habilité SIV")
    AUTO_ECOLE = "auto_ecole", _("École de conduite")
    CENTRE_SENSIBILISATION = (
        "centre_sensibilisation",
        _("Centre de sensibilisation à la sécurité routière"),
    )
    MAIRIE = "mairie", _("Mairie équipée d’un dispositif de recueil")
    PERSONNE_MORALE = "personne_morale", _("Personne morale")


class Sex(models.TextChoices):
    FEMME = "F", _("Femme")
    HOMME = "M", _("Homme")


class SecretQuestion(models.TextChoices):
    MOTHER_MAIDEN_NAME = "mother_maiden_name", _("Nom de jeune fille de votre mère")
    FIRST_PET = "first_pet", _("Nom de votre premier animal de compagnie")
    BIRTH_CITY_FATHER = "father_birth_city", _("Ville de naissance de votre père")
    FIRST_SCHOOL = "first_school", _("Nom de votre première école")
    CHILDHOOD_FRIEND = "childhood_friend", _("Prénom de votre meilleur(e) ami(e) d’enfance")


# Profiles that create their own account with the public form (seed 000 §1.5);
# SIV professionals and town halls get theirs from an operator.
SELF_SIGNUP_PROFILES = (
    Profile.PARTICULIER,
    Profile.AUTO_ECOLE,
    Profile.CENTRE_SENSIBILISATION,
    Profile.PERSONNE_MORALE,
)
PROFESSIONAL_PROFILES = (
    Profile.PRO_SIV,
    Profile.AUTO_ECOLE,
    Profile.CENTRE_SENSIBILISATION,
    Profile.MAIRIE,
    Profile.PERSONNE_MORALE,
)


class HabilitationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDUE = "suspendue", _("Suspendue")
    RESILIEE = "resiliee", _("Résiliée")


class MairieRequestStatus(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    COMPTE_CREE = "compte_cree", _("Compte créé")
    REFUSEE = "refusee", _("Refusée")
