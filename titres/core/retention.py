"""Retention rules of core: the journal, the development mailbox (docs/retention.md)."""

from datetime import datetime, timedelta

from .data_retention import Action, RetentionRule
from .models import MailboxMessage

MAILBOX_DAYS = 30


def purge_mailbox(now: datetime) -> int:
    deleted, _ = MailboxMessage.objects.filter(
        created_at__lt=now - timedelta(days=MAILBOX_DAYS)
    ).delete()
    return deleted


RULES = [
    RetentionRule(
        model="core.AuditEvent",
        data="Journal d’audit (auteur, adresse IP, objet, données de l’événement)",
        duration=(
            "6 ans après l’événement ; non purgé par le portail : la chaîne d’empreintes "
            "doit rester vérifiable, l’archivage se fait par point de contrôle signé"
        ),
        basis=(
            "Preuve (convention de preuve, CGU §1.17 : les journaux d’événements font preuve "
            "en cas de litige) ; 6 ans : prescription de l’action publique des délits "
            "(art. 8 du code de procédure pénale), dont la fraude documentaire."
        ),
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="core.MailboxMessage",
        data="Boîte aux lettres de développement (courriels envoyés, destinataires)",
        duration=f"{MAILBOX_DAYS} jours après l’envoi (n’existe qu’en développement)",
        basis="Test du service ; aucune utilité au-delà.",
        action=Action.SUPPRIMER,
        purge=purge_mailbox,
    ),
]
