"""Audit event codes of `identite`: pré-demandes, town halls' meeting
points, the appointment register, the counter and the titles to hand over.

The only values `record_event` accepts for this app (see titres/core/audit.py).
"""

from titres.core.audit import AuditCode


class IdentiteEvent(AuditCode):
    APPOINTMENT_BOOKED = "identite.appointment_booked"
    APPOINTMENT_CANCELLED = "identite.appointment_cancelled"
    APPOINTMENT_HONOURED = "identite.appointment_honoured"
    APPOINTMENT_NO_SHOW = "identite.appointment_no_show"
    APPOINTMENT_RELEASED = "identite.appointment_released"
    CLOSURE_ADDED = "identite.closure_added"
    COUNTER_LOOKUP = "identite.counter_lookup"
    DOSSIER_RECUEILLI = "identite.dossier_recueilli"
    EXCEPTIONAL_OPENING_ADDED = "identite.exceptional_opening_added"
    MEETING_POINT_CREATED = "identite.meeting_point_created"
    OPENING_SET = "identite.opening_set"
    PREDEMANDE_CREATED = "identite.predemande_created"
    REGISTER_VIEWED = "identite.register_viewed"
    PREDEMANDE_EXPIRED = "identite.predemande_expired"
    PREDEMANDES_WITHDRAWN = "identite.predemandes_withdrawn"
    TITRE_AVAILABLE = "identite.titre_available"
    TITRE_DESTROYED = "identite.titre_destroyed"
    TITRE_HANDED_OVER = "identite.titre_handed_over"
    TITRE_UNCOLLECTED = "identite.titre_uncollected"
    VENDOR_APPOINTMENT_DECLARED = "identite.vendor_appointment_declared"
    VENDOR_APPOINTMENT_DELETED = "identite.vendor_appointment_deleted"
    VENDOR_CREATED = "identite.vendor_created"
    VENDOR_TOKEN_ROTATED = "identite.vendor_token_rotated"
