"""What the contact app answers for in the right of access and at the
deletion of an account."""

from django.db import transaction

from titres.core.json_values import iso

from .enums import TicketKind
from .models import Ticket

COVERS = {
    "contact.Ticket": "export: demandes de contact et réclamations du compte",
    "contact.TicketMessage": "export: messages du fil de chaque demande",
}
EXEMPT: dict[str, str] = {}


def export(user) -> dict:
    tickets = Ticket.objects.filter(user=user).prefetch_related("messages").order_by("created_at")
    return {
        "demandes_de_contact": [
            {
                "numero": ticket.display_number,
                "type": ticket.get_kind_display(),
                "categorie": ticket.get_category_display(),
                "objet": ticket.subject,
                "statut": ticket.get_status_display(),
                "recue_le": iso(ticket.received_on),
                "reponse_due_le": iso(ticket.due_on),
                "date_de_l_evenement": iso(ticket.event_on),
                "piece_jointe": ticket.attachment_name,
                "messages": [
                    {
                        "de": message.get_author_kind_display(),
                        "le": iso(message.created_at),
                        "texte": message.body,
                    }
                    for message in ticket.messages.all()
                ],
            }
            for ticket in tickets
        ]
    }


def erase(user) -> None:
    """Requests go with the account; complaints are kept (evidence, §1.16),
    detached from the account by the SET_NULL of their foreign key, with
    the e-mail address they must be answered at."""
    for ticket in Ticket.objects.filter(user=user):
        if ticket.kind == TicketKind.RECLAMATION:
            ticket.email = ticket.email or user.email
            ticket.save(update_fields=["email"])
            continue
        if ticket.attachment:
            storage, name = ticket.attachment.storage, ticket.attachment.name
            # The file goes only if the deletion of the account commits.
            transaction.on_commit(lambda s=storage, n=name: s.delete(n))
        ticket.delete()
