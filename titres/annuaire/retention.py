"""Retention rules of announcements and maintenance (docs/retention.md)."""

from datetime import datetime, timedelta

from titres.core.data_retention import Action, NotPersonal, RetentionRule

from .models import ImportReport

IMPORT_REPORT_DAYS = 365


def purge_import_reports(now: datetime) -> int:
    """Operators' import reports (lines as sent, operator) after a year."""
    deleted, _ = ImportReport.objects.filter(
        created_at__lt=now - timedelta(days=IMPORT_REPORT_DAYS)
    ).delete()
    return deleted


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
    RetentionRule(
        model="annuaire.ImportReport",
        data="Rapports d’import de l’annuaire (lignes reçues, opérateur auteur)",
        duration=f"{IMPORT_REPORT_DAYS} jours après l’import",
        basis="Contrôle des imports par les opérateurs ; l’annuaire lui-même est à jour.",
        action=Action.SUPPRIMER,
        purge=purge_import_reports,
    ),
]

NOT_PERSONAL = [
    NotPersonal(
        "annuaire.DirectoryEntry",
        "coordonnées publiques d’établissements (professionnels habilités, photographes, "
        "mairies, points d’accueil) publiées dans l’annuaire",
    ),
]
