"""Audit event codes of `annuaire`: announcements, maintenance mode and the
directory.

The only values `record_event` accepts for this app (see titres/core/audit.py).
"""

from titres.core.audit import AuditCode


class AnnuaireEvent(AuditCode):
    ANNOUNCEMENT_PUBLISHED = "annuaire.announcement_published"
    ANNOUNCEMENT_CHANGED = "annuaire.announcement_changed"
    ANNOUNCEMENT_WITHDRAWN = "annuaire.announcement_withdrawn"
    MAINTENANCE_ON = "annuaire.maintenance_on"
    MAINTENANCE_OFF = "annuaire.maintenance_off"
    DIRECTORY_IMPORTED = "annuaire.directory_imported"
    DIRECTORY_ENTRY_CHANGED = "annuaire.directory_entry_changed"
