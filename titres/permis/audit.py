"""Audit event codes of `permis`: The licence record (SNPC), titles, e-photos and licence links.

The only values `record_event` accepts for this app (see titres/core/audit.py).
"""

from titres.core.audit import AuditCode


class PermisEvent(AuditCode):
    CATEGORIES_ADDED = "permis.categories_added"
    EXAM_RECORDED = "permis.exam_recorded"
    EXAM_RESULTS_CONSULTED = "permis.exam_results_consulted"
    FOREIGN_LICENCE_EXCHANGED = "permis.foreign_licence_exchanged"
    LICENCE_ISSUED = "permis.licence_issued"
    LICENCE_STATE_CHANGED = "permis.licence_state_changed"
    NEPH_ATTRIBUTED = "permis.neph_attributed"
    POINTS_CREDITED = "permis.points_credited"
    PROBATION_POINTS_CREDITED = "permis.probation_points_credited"
    STAGE_ATTENDEE_ADDED = "permis.stage_attendee_added"
    STAGE_ATTENDEE_CONFIRMED = "permis.stage_attendee_confirmed"
    STAGE_ATTENDEE_REMOVED = "permis.stage_attendee_removed"
    STAGE_CLOSED = "permis.stage_closed"
    STAGE_DECLARED = "permis.stage_declared"
    PHOTO_SAVED = "permis.photo_saved"
    PHOTO_USED = "permis.photo_used"
    RATTACHEMENT_CREATED = "permis.rattachement_created"
    RATTACHEMENT_DELETED = "permis.rattachement_deleted"
    RATTACHEMENT_REFUSED = "permis.rattachement_refused"
    SNPC_CHANGED_ADMIN = "permis.snpc_changed_admin"
    SNPC_CREATED_ADMIN = "permis.snpc_created_admin"
    SNPC_VIEWED_ADMIN = "permis.snpc_viewed_admin"
    TITRE_RECORDED = "permis.titre_recorded"
    TITRE_STATUS_CHANGED = "permis.titre_status_changed"
