"""Retention rules of driving licences (docs/retention.md)."""

from titres.core.data_retention import Action, NotPersonal, RetentionRule

REGISTRY = (
    "Système national des permis de conduire (art. L225-1 et R225-1 s. du code de la route) : "
    "les durées sont celles du registre, qui n’est pas purgé par le portail."
)

RULES = [
    RetentionRule(
        model="permis.LicenceRecord",
        data="Dossiers du registre des permis (état civil, naissance)",
        duration="Durée du registre national (code de la route)",
        basis=REGISTRY,
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="permis.LicenceHolderLink",
        data="Rattachement d’un compte à un dossier du registre",
        duration="Avec le compte (supprimé avec lui)",
        basis="Accès de l’usager à son solde de points et à ses titres.",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="permis.EPhoto",
        data="Codes photo-signature utilisés (usager)",
        duration="Avec la démarche qui l’a utilisée (règles procedures.Demarche)",
        basis="Instruction de la demande (contrôle de l’usage unique du code).",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="permis.LicenceRequest",
        data="Rapprochement d’une demande de permis avec le registre",
        duration="Avec la démarche (règles procedures.Demarche)",
        basis="Instruction de la demande.",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="permis.StageSession",
        data="Stages de récupération de points (centre, lieu, animateurs)",
        duration="Durée du fichier national des permis de conduire (le crédit de points y est inscrit)",
        basis="Code de la route, art. L223-6 et R223-8 : attestation de stage et crédit de points.",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="permis.StageAttendee",
        data="Stagiaires (NEPH, nom, prénoms, naissance, e-mail, points crédités)",
        duration="Durée du fichier national des permis de conduire (le crédit de points y est inscrit)",
        basis="Code de la route, art. L223-6 : un stage par an au plus, vérifié sur l’historique.",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="permis.ForeignLicence",
        data="Permis étrangers échangés et remis à l’autorité (pays, numéro, catégories)",
        duration="Durée du fichier national des permis de conduire",
        basis=REGISTRY,
        action=Action.CONSERVER,
    ),
]

NOT_PERSONAL = [
    NotPersonal("permis.Departement", "référentiel géographique public"),
    NotPersonal("permis.Commune", "référentiel géographique public (code officiel géographique)"),
    NotPersonal("permis.Photographer", "annuaire public des photographes agréés (entreprises)"),
]
