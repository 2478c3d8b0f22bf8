"""Audit event codes of `franceconnect`: FranceConnect sign-in and account linking.

The only values `record_event` accepts for this app (see titres/core/audit.py).
"""

from titres.core.audit import AuditCode


class FranceConnectEvent(AuditCode):
    ACCOUNT_CREATED = "franceconnect.account_created"
    LINKED = "franceconnect.linked"
    LINK_EMAIL_SENT = "franceconnect.link_email_sent"
    LINK_PASSWORD_FAILED = "franceconnect.link_password_failed"
    LINK_REQUESTED = "franceconnect.link_requested"
    LOGIN = "franceconnect.login"
    LOGIN_REFUSED = "franceconnect.login_refused"
    LOGOUT = "franceconnect.logout"
    UNLINKED = "franceconnect.unlinked"
