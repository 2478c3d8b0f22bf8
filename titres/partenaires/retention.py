"""Retention rules of the partner API (seed 004, docs/retention.md)."""

from datetime import datetime

from titres.core.data_retention import Action, RetentionRule

from . import lifecycle


def purge_call_logs(now: datetime) -> int:
    """Seed 004: the calls of a token unused (or never used, counted from
    its creation) for two years, and tokenless calls older than that — the
    same batched purge as `manage.py purge_call_logs`."""
    return lifecycle.purge_call_logs(now=now)


CALL_LOG_RULE = RetentionRule(
    model="partenaires.CallLog",
    data="Journaux d’appels de l’API (jeton, adresse IP, empreinte des paramètres)",
    duration="2 ans après la dernière utilisation du jeton",
    basis="Supervision du service et résolution d’incidents (conditions d’utilisation, seed 004).",
    action=Action.SUPPRIMER,
    purge=purge_call_logs,
)

RULES = [
    CALL_LOG_RULE,
    RetentionRule(
        model="partenaires.ApiToken",
        data="Jetons d’accès (adresses IP autorisées du partenaire)",
        duration="Pendant la durée d’activité du compte partenaire ; journaux d’appels : règle CallLog",
        basis="Sécurité de l’API (seed 004).",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="partenaires.Partner",
        data="Partenaires : e-mails et téléphones des responsables technique et métier",
        duration=(
            "Pendant la durée d’activité du compte partenaire ; effacés à sa résiliation "
            "(services.terminate_partner), avec les comptes du portail rattachés (seed 004)"
        ),
        basis="Gestion du compte partenaire.",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="partenaires.Retirement",
        data="Retraits programmés de versions de l’API (opérateur auteur)",
        duration="Tant que la version retirée est documentée ; l’auteur est aussi au journal",
        basis="Information des partenaires (en-têtes Deprecation et Sunset, seed 004).",
        action=Action.CONSERVER,
    ),
]
