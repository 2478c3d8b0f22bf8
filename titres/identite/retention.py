"""Retention rules of ID cards and passports (docs/retention.md)."""

from titres.core.data_retention import Action, NotPersonal, RetentionRule

RULES = [
    RetentionRule(
        model="identite.PreDemande",
        data="Pré-demandes (nom, prénoms, naissance)",
        duration="Expirées après leur durée de validité (expire_predemandes), puis avec la démarche",
        basis="Recueil de la demande de titre en mairie (décret n° 55-1397 et n° 2005-1726).",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="identite.Appointment",
        data="Rendez-vous en mairie (e-mail, réservant)",
        duration="Libérés après le créneau (release_stale_appointments), puis avec la pré-demande",
        basis="Organisation du recueil en mairie.",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="identite.TitleDelivery",
        data="Remise des titres en mairie (agent qui la clôt)",
        duration="Avec la démarche (règles procedures.Demarche)",
        basis="Preuve de la remise du titre.",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="identite.MeetingPoint",
        data="Lieux de recueil (compte mairie gestionnaire, téléphone du service)",
        duration="Tant que le lieu de recueil existe",
        basis="Annuaire public des lieux de recueil.",
        action=Action.CONSERVER,
    ),
]

NOT_PERSONAL = [
    NotPersonal("identite.Vendor", "éditeurs de logiciels de rendez-vous (entreprises)"),
]
