"""Audit event codes of `contact`: tickets (demandes de renseignement) and
complaints (réclamations), their thread and their transitions.

The only values `record_event` accepts for this app (see titres/core/audit.py).
"""

from titres.core.audit import AuditCode


class ContactEvent(AuditCode):
    TICKET_OPENED = "contact.ticket_opened"
    COMPLAINT_OPENED = "contact.complaint_opened"
    COMPLAINT_LETTER_RECORDED = "contact.complaint_letter_recorded"
    MAIRIE_TICKET_OPENED = "contact.mairie_ticket_opened"
    TICKET_ASSIGNED = "contact.ticket_assigned"
    TICKET_TRANSITION = "contact.ticket_transition"
    TICKET_ANSWERED = "contact.ticket_answered"
    TICKET_USER_REPLIED = "contact.ticket_user_replied"
