"""Choices of the vehicle registry. Codes are those printed on the French
registration certificate (fields J.1, P.3…), so an agent reads them as on
the card."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlateSystem(models.TextChoices):
    SIV = "SIV", _("SIV (AB-123-CD)")
    FNI = "FNI", _("FNI (123 AB 01)")


class Category(models.TextChoices):
    """Field J.1 (genre national)."""

    VP = "VP", _("VP — voiture particulière")
    CTTE = "CTTE", _("CTTE — camionnette")
    CAM = "CAM", _("CAM — camion")
    MTL = "MTL", _("MTL — motocyclette légère")
    MTT1 = "MTT1", _("MTT1 — motocyclette (≤ 35 kW)")
    MTT2 = "MTT2", _("MTT2 — motocyclette (> 35 kW)")
    CL = "CL", _("CL — cyclomoteur")
    VASP = "VASP", _("VASP — véhicule automoteur spécialisé")


# Utility vehicles pay Y2 (taxe sur les véhicules de transport), by gross weight.
UTILITY_CATEGORIES = frozenset({Category.CTTE, Category.CAM, Category.VASP})


class Energy(models.TextChoices):
    """Field P.3 (type de carburant ou source d'énergie)."""

    ES = "ES", _("ES — essence")
    GO = "GO", _("GO — gazole")
    EL = "EL", _("EL — électricité")
    H2 = "H2", _("H2 — hydrogène")
    EE = "EE", _("EE — hybride essence-électricité rechargeable")
    EH = "EH", _("EH — hybride essence-électricité non rechargeable")
    GH = "GH", _("GH — hybride gazole-électricité non rechargeable")
    GP = "GP", _("GP — GPL")
    GN = "GN", _("GN — gaz naturel (GNV)")
    FE = "FE", _("FE — superéthanol E85")


class HolderRole(models.TextChoices):
    TITULAIRE = "titulaire", _("Titulaire")
    COTITULAIRE = "cotitulaire", _("Cotitulaire")
    LOCATAIRE = "locataire", _("Locataire")


class PersonKind(models.TextChoices):
    PHYSIQUE = "physique", _("Personne physique")
    MORALE = "morale", _("Personne morale (SIRET)")


class LeaseKind(models.TextChoices):
    LLD = "LLD", _("Location longue durée (LLD)")
    LOA = "LOA", _("Location avec option d’achat (LOA)")


class SituationKind(models.TextChoices):
    """Entries of the administrative situation (certificat de situation)."""

    GAGE = "gage", _("Gage")
    OPPOSITION = "opposition", _("Opposition au transfert (OTCI)")
    VOL = "vol", _("Déclaré volé")
    VE = "ve", _("Véhicule endommagé (VE)")
    VGE = "vge", _("Véhicule gravement endommagé (VGE)")
    SUSPENSION = "suspension", _("Certificat suspendu")
    CEDE = "cede", _("Cédé (déclaration de cession enregistrée)")
    # A first registration annulled (the dealer's file rejected): the
    # vehicle stays in the registry as history, its number never reused.
    ANNULEE = "annulee", _("Immatriculation annulée")


# Situations that stop a change of holder (the buyer's procedure cannot go on).
BLOCKING_SITUATIONS = frozenset(
    {
        SituationKind.GAGE,
        SituationKind.OPPOSITION,
        SituationKind.VOL,
        SituationKind.VGE,
        SituationKind.SUSPENSION,
        SituationKind.ANNULEE,
    }
)
# Situations that stop the seller's declaration of sale.
CESSION_BLOCKING_SITUATIONS = frozenset(
    {
        SituationKind.OPPOSITION,
        SituationKind.VOL,
        SituationKind.VGE,
        SituationKind.SUSPENSION,
        SituationKind.ANNULEE,
    }
)


class RegistryEventKind(models.TextChoices):
    IMMATRICULATION = "immatriculation", _("Immatriculation")
    SITUATION_INSCRITE = "situation_inscrite", _("Inscription au fichier")
    SITUATION_LEVEE = "situation_levee", _("Levée d’une inscription")
    CESSION = "cession", _("Déclaration de cession")
    CESSION_ANNULEE = "cession_annulee", _("Déclaration de cession annulée")
    ACHAT_PROFESSIONNEL = "achat_professionnel", _("Déclaration d’achat (professionnel)")
    CHANGEMENT_TITULAIRE = "changement_titulaire", _("Changement de titulaire")
    CHANGEMENT_ADRESSE = "changement_adresse", _("Changement d’adresse")
    DUPLICATA = "duplicata", _("Duplicata du certificat")
    CHANGEMENT_ADRESSE_ANNULE = "adresse_annulee", _("Changement d’adresse annulé")
    DUPLICATA_ANNULE = "duplicata_annule", _("Duplicata annulé, certificat rétabli")
    IMMATRICULATION_ANNULEE = "immatriculation_annulee", _("Immatriculation annulée")
    CORRECTION = "correction", _("Correction")


class CessionState(models.TextChoices):
    ACTIVE = "active", _("Code de cession valide")
    UTILISEE = "utilisee", _("Code utilisé par l’acquéreur")
    ANNULEE = "annulee", _("Déclaration annulée")


class DuplicateReason(models.TextChoices):
    PERTE = "perte", _("Perte")
    VOL = "vol", _("Vol")
    DETERIORATION = "deterioration", _("Détérioration")


class CertificateOperationKind(models.TextChoices):
    ADRESSE = "adresse", _("Changement d’adresse")
    DUPLICATA = "duplicata", _("Duplicata")


# An address change on a SIV certificate is printed on a label sent by
# post, three times at most; the fourth brings a new certificate.
ADDRESS_LABELS_PER_CERTIFICATE = 3
# Situations that stop a duplicate: a stolen vehicle or a suspended
# certificate gets no new card.
DUPLICATE_BLOCKING_SITUATIONS = frozenset(
    {SituationKind.VOL, SituationKind.SUSPENSION, SituationKind.ANNULEE}
)


class VehicleRejectReason(models.TextChoices):
    """Reasons for rejecting a vehicle file that come from its own checks
    (the back office adds the reasons common to every file); each vehicle
    procedure offers those that apply to it (its backoffice.hooks)."""

    DONNEES_SIV = "donnees_siv", _("Données du véhicule ou du titulaire incohérentes avec le SIV")
    SITUATION = (
        "situation_bloquante",
        _("Situation administrative du véhicule bloquante (gage, opposition, vol)"),
    )
    CONFORMITE = "conformite", _("Certificat de conformité incohérent avec les données déclarées")
    MANDAT = "mandat", _("Mandat ou pièce d’identité du client absent ou non conforme")
