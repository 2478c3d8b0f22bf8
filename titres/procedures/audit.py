"""Audit event codes of `procedures`: Démarches, documents, messages and authorities.

The only values `record_event` accepts for this app (see titres/core/audit.py).
"""

from titres.core.audit import AuditCode


class ProceduresEvent(AuditCode):
    AUTORITE_CHANGED = "procedures.autorite_changed"
    AUTORITE_CREATED = "procedures.autorite_created"
    AUTORITE_DELETED = "procedures.autorite_deleted"
    BROUILLON_SAVED = "procedures.brouillon_saved"
    DEMARCHE_CREATED = "procedures.demarche_created"
    DEMARCHE_TRANSITION = "procedures.demarche_transition"
    DOCUMENT_DELETED = "procedures.document_deleted"
    DOCUMENT_SCANNED = "procedures.document_scanned"
    DOCUMENT_UPLOADED = "procedures.document_uploaded"
    DOCUMENT_VIEWED = "procedures.document_viewed"
    MESSAGE_POSTED = "procedures.message_posted"
    PAYMENT_ATTACHED = "procedures.payment_attached"
