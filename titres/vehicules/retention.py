"""Retention rules of vehicles (docs/retention.md)."""

from titres.core.data_retention import Action, NotPersonal, RetentionRule

SIV = (
    "Système d’immatriculation des véhicules (art. L330-1 et R330-1 s. du code de la route) : "
    "les durées sont celles du registre, qui n’est pas purgé par le portail."
)

RULES = [
    RetentionRule(
        model="vehicules.Holder",
        data="Titulaires des certificats d’immatriculation (identité, adresse)",
        duration="Durée du registre SIV (code de la route)",
        basis=SIV,
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="vehicules.RegistryEntry",
        data="Historique du registre SIV (auteur de l’opération)",
        duration="Durée du registre SIV",
        basis=SIV,
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="vehicules.CessionDeclaration",
        data="Déclarations de cession (vendeur, acquéreur, adresses, e-mail)",
        duration="Durée du registre SIV (la cession y est inscrite)",
        basis=SIV,
        action=Action.CONSERVER,
    ),
]

NOT_PERSONAL = [
    NotPersonal("vehicules.Vehicle", "caractéristiques techniques (nom commercial du modèle)"),
]
