"""Audit event codes of `instruction`: The agents' back office and the title factory.

The only values `record_event` accepts for this app (see titres/core/audit.py).
"""

from titres.core.audit import AuditCode


class InstructionEvent(AuditCode):
    AGENT_LOGIN = "instruction.agent_login"
    AGENT_LOGOUT = "instruction.agent_logout"
    ATTESTATION_DOWNLOADED = "instruction.attestation_downloaded"
    CSV_EXPORTED = "instruction.csv_exported"
    DOSSIER_ASSIGNED = "instruction.dossier_assigned"
    DOSSIER_TAKEN = "instruction.dossier_taken"
    DOSSIER_VIEWED = "instruction.dossier_viewed"
    OTP_ENROLLED = "instruction.otp_enrolled"
    OTP_ENROLMENT_ISSUED = "instruction.otp_enrolment_issued"
    OTP_ENROLMENT_REDEEMED = "instruction.otp_enrolment_redeemed"
    OTP_ENROLMENT_REFUSED = "instruction.otp_enrolment_refused"
    OTP_REFUSED = "instruction.otp_refused"
    PAGE_VIEWED = "instruction.page_viewed"
    PHOTO_VIEWED = "instruction.photo_viewed"
    PRODUCTION_FAILED = "instruction.production_failed"
    PRODUCTION_ORDERED = "instruction.production_ordered"
    SNPC_NOT_UPDATED = "instruction.snpc_not_updated"
    SNPC_VIEWED = "instruction.snpc_viewed"
    TITRE_DELIVERED = "instruction.titre_delivered"
    TITRE_PRODUCED = "instruction.titre_produced"
    TITRE_SHIPPED = "instruction.titre_shipped"
