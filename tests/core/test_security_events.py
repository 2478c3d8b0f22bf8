"""A test about the code itself: every security event DESIGN and the
security review promise is written somewhere in the application code.

SECURITY_EVENTS lists them (audit enum members). The test searches titres/
for a use of each member (`AccountsEvent.LOGIN_FAILED`...) outside the
enums themselves, and fails naming the event that is declared but never
written: an event that nobody records is a gap in the evidence.
"""

from pathlib import Path

import pytest

from titres.accounts.audit import AccountsEvent
from titres.franceconnect.audit import FranceConnectEvent
from titres.instruction.audit import InstructionEvent
from titres.paiements.audit import PaiementsEvent

SECURITY_EVENTS = [
    # Logins, failures and locks, on every door.
    AccountsEvent.LOGIN,
    AccountsEvent.LOGIN_FAILED,
    AccountsEvent.ACCOUNT_LOCKED,
    AccountsEvent.LOGIN_REFUSED_LOCKED,
    AccountsEvent.LOGOUT,
    AccountsEvent.ADMIN_LOGIN,
    AccountsEvent.ADMIN_OTP_REFUSED,
    InstructionEvent.AGENT_LOGIN,
    InstructionEvent.AGENT_LOGOUT,
    InstructionEvent.OTP_ENROLLED,
    InstructionEvent.OTP_REFUSED,
    InstructionEvent.OTP_ENROLMENT_ISSUED,
    InstructionEvent.OTP_ENROLMENT_REDEEMED,
    InstructionEvent.OTP_ENROLMENT_REFUSED,
    FranceConnectEvent.LOGIN_REFUSED,
    # Credentials and accounts.
    AccountsEvent.PASSWORD_CHANGED,
    AccountsEvent.PASSWORD_RESET,
    AccountsEvent.PASSWORD_RESET_REQUESTED,
    AccountsEvent.EMAIL_CHANGED,
    AccountsEvent.SIGNUP,
    AccountsEvent.SIGNUP_EXISTING_EMAIL,
    AccountsEvent.ACCOUNT_SUSPENDED,
    AccountsEvent.ACCOUNT_DELETED,
    AccountsEvent.ADMIN_CHANGED,
    AccountsEvent.ADMIN_GROUP_CHANGED,
    # Reading personal data in the back office.
    InstructionEvent.DOSSIER_VIEWED,
    InstructionEvent.PAGE_VIEWED,
    InstructionEvent.CSV_EXPORTED,
    # Money.
    PaiementsEvent.NOTIFICATION_REFUSED,
]

ROOT = Path(__file__).resolve().parents[2] / "titres"


def _sources() -> str:
    return "\n".join(
        path.read_text()
        for path in ROOT.rglob("*.py")
        if path.name not in {"audit.py", "audit_renames.py"} and "migrations" not in path.parts
    )


@pytest.mark.parametrize("event", SECURITY_EVENTS, ids=str)
def test_security_event_is_written_somewhere(event):
    use = f"{type(event).__name__}.{event.name}"
    assert use in _sources(), (
        f"L’événement de sécurité {event.value} ({use}) est déclaré mais jamais journalisé : "
        "appelez record_event avec lui là où cela arrive, ou retirez-le de SECURITY_EVENTS "
        "s’il n’est plus promis."
    )
