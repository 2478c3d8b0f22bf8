"""Retention rules of announcements and maintenance (docs/retention.md)."""

from titres.core.data_retention import Action, RetentionRule

RULES = [
    RetentionRule(
        model="annuaire.Announcement",
        data="Annonces publiées (opérateur auteur)",
        duration="Tant que l’annonce est publiée ou archivée ; l’auteur est aussi au journal",
        basis="Information des usagers ; traçabilité des publications des opérateurs.",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="annuaire.MaintenanceMode",
        data="État de maintenance (opérateur qui l’a changé)",
        duration="Une seule ligne, remplacée à chaque changement ; l’historique est au journal",
        basis="Exploitation du service.",
        action=Action.CONSERVER,
    ),
]
