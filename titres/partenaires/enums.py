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
    VEHICULE_IMMATRICULATION = (
        "vehicule.immatriculation",
        _("Véhicule : extrait du certificat d’immatriculation"),
    )
    VEHICULE_TITULAIRE = (
        "vehicule.titulaire",
        _("Véhicule : concordance avec le titulaire (scores, jamais ses données)"),
    )
    VEHICULE_SITUATION = (
        "vehicule.situation",
        _("Véhicule : situation administrative (gage, opposition, vol, VE/VGE)"),
    )
    IDENTITE_TITRE = (
        "identite.titre",
        _("Titre d’identité : validité d’un titre par son numéro"),
    )
    IDENTITE_PREDEMANDE = (
        "identite.predemande",
        _("Titre d’identité : état d’une pré-demande"),
    )


PERMIS_SCOPES = (Scope.PERMIS_VALIDITE, Scope.PERMIS_CATEGORIES, Scope.PERMIS_POINTS)
VEHICULE_SCOPES = (
    Scope.VEHICULE_IMMATRICULATION,
    Scope.VEHICULE_TITULAIRE,
    Scope.VEHICULE_SITUATION,
)
