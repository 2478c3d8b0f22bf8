"""Retention rules of the back office (docs/retention.md)."""

from datetime import datetime, timedelta

from titres.core.data_retention import Action, RetentionRule

from .models import OtpEnrolment

ENROLMENT_GRACE_DAYS = 30


def purge_otp_enrolments(now: datetime) -> int:
    """Enrolment links (e-mail address they were sent to) a month after
    they expired: used or not, they can no longer serve."""
    deleted, _ = OtpEnrolment.objects.filter(
        expires_at__lt=now - timedelta(days=ENROLMENT_GRACE_DAYS)
    ).delete()
    return deleted


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
    RetentionRule(
        model="instruction.OtpEnrolment",
        data="Liens et codes d’enrôlement du second facteur des agents (adresse d’envoi)",
        duration=f"{ENROLMENT_GRACE_DAYS} jours après leur expiration",
        basis="Sécurité du back-office (preuve de l’enrôlement) ; inutiles une fois expirés.",
        action=Action.SUPPRIMER,
        purge=purge_otp_enrolments,
    ),
]
