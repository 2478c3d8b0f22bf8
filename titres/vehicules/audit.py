"""Audit event codes of `vehicules`: The vehicle registry (SIV), situations and declarations of sale.

The only values `record_event` accepts for this app (see titres/core/audit.py).
"""

from titres.core.audit import AuditCode


class VehiculesEvent(AuditCode):
    CESSION_CANCELLED = "vehicules.cession_cancelled"
    CESSION_DECLARED = "vehicules.cession_declared"
    CODE_CESSION_USED = "vehicules.code_cession_used"
    IMMATRICULATION_RECORDED = "vehicules.immatriculation_recorded"
    RECORD_CORRECTED = "vehicules.record_corrected"
    REGISTRY_IMPORTED = "vehicules.registry_imported"
    SITUATION_LIFTED = "vehicules.situation_lifted"
    SITUATION_REGISTERED = "vehicules.situation_registered"
    SIV_VIEWED = "vehicules.siv_viewed"
    SIV_VIEWED_ADMIN = "vehicules.siv_viewed_admin"
    TITULAIRE_CHANGED = "vehicules.titulaire_changed"
    TAXES_PAID = "vehicules.taxes_paid"
    FILING_REFUSED_AFTER_PAYMENT = "vehicules.filing_refused_after_payment"
    TAXES_REFUNDED = "vehicules.taxes_refunded"
    PRO_FILES_EXPORTED = "vehicules.pro_files_exported"
    PRO_BULK_DOWNLOAD_REQUESTED = "vehicules.pro_bulk_download_requested"
    PRO_BATCH_SUBMITTED = "vehicules.pro_batch_submitted"
    PRO_BATCH_CODES_DELIVERED = "vehicules.pro_batch_codes_delivered"
    PURCHASE_DECLARED = "vehicules.purchase_declared"
    PURCHASE_SCAN_ADDED = "vehicules.purchase_scan_added"
    SITUATION_CERTIFICATE_ISSUED = "vehicules.situation_certificate_issued"
    ADDRESS_CHANGED = "vehicules.address_changed"
    DUPLICATE_ISSUED = "vehicules.duplicate_issued"
    ADDRESS_CHANGE_REVERTED = "vehicules.address_change_reverted"
    DUPLICATE_REVERTED = "vehicules.duplicate_reverted"
    OPERATION_REVERTED = "vehicules.operation_reverted"
    IMMATRICULATION_CANCELLED = "vehicules.immatriculation_cancelled"
    NEW_REGISTRATION_WITHDRAWN = "vehicules.new_registration_withdrawn"
    CHANGE_OF_HOLDER_WITHDRAWN = "vehicules.change_of_holder_withdrawn"
    CODE_CESSION_RELEASED = "vehicules.code_cession_released"
    ORPHAN_PAYMENT_REFUNDED = "vehicules.orphan_payment_refunded"
    UNFILED_PAYMENT_REFUNDED = "vehicules.unfiled_payment_refunded"
