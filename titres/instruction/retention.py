"""Retention rules of the back office (docs/retention.md)."""

from titres.core.data_retention import Action, RetentionRule

RULES = [
    RetentionRule(
        model="instruction.DemarcheSearchEntry",
        data="Index de recherche des agents (nom, prénoms, naissance du demandeur)",
        duration="Avec la démarche (supprimé avec elle, reconstruit par reindex_search)",
        basis="Instruction des demandes par les agents habilités.",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="instruction.AgentMembership",
        data="Rattachement des agents à leur autorité",
        duration="Tant que l’agent est habilité",
        basis="Contrôle des accès au back-office.",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="instruction.Assignment",
        data="Attribution des dossiers aux agents",
        duration="Avec la démarche (supprimée avec elle)",
        basis="Organisation de l’instruction.",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="instruction.ProductionOrder",
        data="Ordres de fabrication (agent qui les donne)",
        duration="Avec la démarche (règles procedures.Demarche)",
        basis="Traçabilité de la fabrication des titres.",
        action=Action.CONSERVER,
    ),
]
