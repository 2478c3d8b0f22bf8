"""Audit event codes of `paiements`: Stamps (timbres) and card payments.

The only values `record_event` accepts for this app (see titres/core/audit.py).
"""

from titres.core.audit import AuditCode


class PaiementsEvent(AuditCode):
    NOTIFICATION_CONTRADICTORY = "paiements.notification_contradictory"
    NOTIFICATION_INCONSISTENT = "paiements.notification_inconsistent"
    NOTIFICATION_REFUSED = "paiements.notification_refused"
    NOTIFICATION_REPLAYED = "paiements.notification_replayed"
    NOTIFICATION_UNKNOWN = "paiements.notification_unknown"
    PAYMENT_ACCEPTED = "paiements.payment_accepted"
    PAYMENT_CANCELLED = "paiements.payment_cancelled"
    PAYMENT_CREATED = "paiements.payment_created"
    PAYMENT_FAILED = "paiements.payment_failed"
    PAYMENT_REFUSED = "paiements.payment_refused"
    TIMBRE_CONSUMED = "paiements.timbre_consumed"
    TIMBRE_EXPIRED = "paiements.timbre_expired"
    TIMBRE_ISSUED = "paiements.timbre_issued"
    TIMBRE_REFUNDED = "paiements.timbre_refunded"
    FRAIS_REFUNDED = "paiements.frais_refunded"
    TIMBRE_RELEASED = "paiements.timbre_released"
    TIMBRE_RESERVED = "paiements.timbre_reserved"
