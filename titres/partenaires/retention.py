"""Retention rules of the partner API (seed 004, docs/retention.md)."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.db.models.functions import Coalesce

from titres.core.data_retention import Action, RetentionRule

from .models import ApiToken, CallLog

CALL_LOG_DAYS = 2 * 365


def purge_call_logs(now: datetime) -> int:
    """Seed 004: traceability data is deleted after two years without use
    of the service: the calls of a token unused (or never used, counted
    from its creation) for two years, and tokenless calls older than that."""
    cutoff = now - timedelta(days=CALL_LOG_DAYS)
    idle = ApiToken.objects.annotate(seen=Coalesce("last_used_at", "created_at")).filter(
        seen__lt=cutoff
    )
    deleted, _ = CallLog.objects.filter(
        Q(token__in=idle.values("pk")) | Q(token__isnull=True, at__lt=cutoff)
    ).delete()
    return deleted


RULES = [
    RetentionRule(
        model="partenaires.CallLog",
        data="Journaux d’appels de l’API (jeton, adresse IP, empreinte des paramètres)",
        duration="2 ans après la dernière utilisation du jeton",
        basis="Supervision du service et résolution d’incidents (conditions d’utilisation, seed 004).",
        action=Action.SUPPRIMER,
        purge=purge_call_logs,
    ),
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
        duration="Pendant la durée d’activité du compte partenaire (seed 004)",
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
