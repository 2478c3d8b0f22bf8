"""Retention rule of the local identity provider (development only)."""

from titres.core.data_retention import Action, RetentionRule

RULES = [
    RetentionRule(
        model="devidp.DemoCitizen",
        data="Identités fictives du fournisseur d’identité local",
        duration="Avec le compte de démonstration ; le fournisseur n’existe qu’en développement",
        basis="Test de FranceConnect ; aucune personne réelle.",
        action=Action.CONSERVER,
    ),
]
