"""Audit event codes of `partenaires`: partners of the data API and their tokens.

The only values `record_event` accepts for this app (see titres/core/audit.py).
"""

from titres.core.audit import AuditCode


class PartenairesEvent(AuditCode):
    PARTNER_CREATED = "partenaires.partner_created"
    PARTNER_UPDATED = "partenaires.partner_updated"
    PARTNER_SUSPENDED = "partenaires.partner_suspended"
    PARTNER_REACTIVATED = "partenaires.partner_reactivated"
    PARTNER_TERMINATED = "partenaires.partner_terminated"
    CONTACTS_UPDATED = "partenaires.contacts_updated"
    TOKEN_ISSUED = "partenaires.token_issued"
    TOKEN_RENEWED = "partenaires.token_renewed"
    TOKEN_REVOKED = "partenaires.token_revoked"
    RETIREMENT_SCHEDULED = "partenaires.retirement_scheduled"
    RETIREMENT_REMINDED = "partenaires.retirement_reminded"
    TOKEN_EXPIRY_NOTICE = "partenaires.token_expiry_notice"
