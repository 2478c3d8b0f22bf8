"""Retention rules of contact tickets and complaints (docs/retention.md)."""

from datetime import datetime, timedelta

from django.db.models import Q

from titres.core.data_retention import Action, RetentionRule

from .enums import TicketKind, TicketStatus
from .models import Ticket

REQUEST_YEARS = 2
COMPLAINT_YEARS = 5


def _purge(kind: str, years: int, now: datetime) -> int:
    limit = now - timedelta(days=365 * years)
    stale = Ticket.objects.filter(kind=kind).filter(
        Q(status=TicketStatus.CLOS, closed_at__lt=limit)
        | Q(~Q(status=TicketStatus.CLOS), created_at__lt=limit)
    )
    count = 0
    for ticket in stale.iterator():
        if ticket.attachment:
            ticket.attachment.delete(save=False)
        ticket.delete()  # its messages go with it
        count += 1
    return count


def purge_requests(now: datetime) -> int:
    return _purge(TicketKind.DEMANDE, REQUEST_YEARS, now)


def purge_complaints(now: datetime) -> int:
    return _purge(TicketKind.RECLAMATION, COMPLAINT_YEARS, now)


RULES = [
    RetentionRule(
        model="contact.Ticket",
        name="demandes",
        data="Demandes de renseignement (coordonnées, message, pièce jointe, fil des réponses)",
        duration=f"{REQUEST_YEARS} ans après la clôture (ou après l’envoi si jamais close)",
        basis="Réponse aux demandes des usagers (CGU §1.15) ; suivi des engagements de délai.",
        action=Action.SUPPRIMER,
        purge=purge_requests,
    ),
    RetentionRule(
        model="contact.Ticket",
        name="reclamations",
        data="Réclamations (coordonnées, adresse postale, événement, fil des réponses)",
        duration=f"{COMPLAINT_YEARS} ans après la clôture (prescription de droit commun)",
        basis="Traitement des réclamations et preuve en cas de litige (CGU §1.16).",
        action=Action.SUPPRIMER,
        purge=purge_complaints,
    ),
    RetentionRule(
        model="contact.TicketMessage",
        data="Messages du fil d’une demande (usager et opérateurs)",
        duration="Supprimés avec la demande",
        basis="Idem demande de contact.",
        action=Action.SUPPRIMER,
    ),
]
