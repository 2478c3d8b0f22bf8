"""Audit event codes of `accounts`: Accounts, sign-up, login, terms, habilitations and town halls (mairies).

The only values `record_event` accepts for this app (see titres/core/audit.py).
"""

from titres.core.audit import AuditCode


class AccountsEvent(AuditCode):
    ACCOUNT_ACTIVATED = "accounts.account_activated"
    ACCOUNT_DELETED = "accounts.account_deleted"
    ACCOUNT_LOCKED = "accounts.account_locked"
    ACCOUNT_REACTIVATED = "accounts.account_reactivated"
    ACCOUNT_RESTORED = "accounts.account_restored"
    ACCOUNT_SUSPENDED = "accounts.account_suspended"
    ACCOUNT_UPDATED = "accounts.account_updated"
    ACTIVATION_RESENT = "accounts.activation_resent"
    ADMIN_CHANGED = "accounts.admin_changed"
    ADMIN_GROUP_CHANGED = "accounts.admin_group_changed"
    DATA_EXPORTED = "accounts.data_exported"
    EMAIL_CHANGED = "accounts.email_changed"
    EMAIL_CHANGE_REQUESTED = "accounts.email_change_requested"
    HABILITATION_CREATED = "accounts.habilitation_created"
    HABILITATION_REACTIVATED = "accounts.habilitation_reactivated"
    HABILITATION_SUSPENDED = "accounts.habilitation_suspended"
    HABILITATION_TERMINATED = "accounts.habilitation_terminated"
    HABILITATION_UPDATED = "accounts.habilitation_updated"
    IDENTIFIER_REMINDER_SENT = "accounts.identifier_reminder_sent"
    LOGIN = "accounts.login"
    LOGIN_FAILED = "accounts.login_failed"
    LOGOUT = "accounts.logout"
    MAIRIE_ACCOUNT_CREATED = "accounts.mairie_account_created"
    MAIRIE_REQUEST_RECEIVED = "accounts.mairie_request_received"
    MAIRIE_REQUEST_REFUSED = "accounts.mairie_request_refused"
    MAIRIE_REQUEST_UPDATED = "accounts.mairie_request_updated"
    PASSWORD_CHANGED = "accounts.password_changed"
    PASSWORD_RESET = "accounts.password_reset"
    PASSWORD_RESET_REQUESTED = "accounts.password_reset_requested"
    PASSWORD_SET = "accounts.password_set"
    SIGNUP = "accounts.signup"
    TERMS_ACCEPTED = "accounts.terms_accepted"
    TERMS_PUBLISHED = "accounts.terms_published"
    TERMS_UPDATED = "accounts.terms_updated"
