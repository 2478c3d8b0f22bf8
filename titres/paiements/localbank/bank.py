"""The local bank: a hosted card payment page standing in for the provider.

It keeps its own records (BankSession) and only talks to the portal the way
a real provider does: it receives signed payment requests and sends a signed
server-to-server notification with the result. The notification goes as a
background task over HTTP to the portal's notification URL, or, when the
portal cannot be reached over HTTP (tests, no server running), by calling
the notification handler directly with the same signed payload."""

import logging
import secrets
from datetime import timedelta

import requests
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .. import conf
from ..enums import BankSessionState, PaymentResult
from ..models import BankSession
from ..providers.base import InvalidSignature, Purpose, sign, verify
from . import cards

logger = logging.getLogger(__name__)

MAX_CHALLENGE_ATTEMPTS = 3
RESULTS = {
    BankSessionState.AUTORISEE: PaymentResult.ACCEPTE,
    BankSessionState.REFUSEE: PaymentResult.REFUSE,
    BankSessionState.ANNULEE: PaymentResult.ANNULE,
    BankSessionState.ECHEC: PaymentResult.ECHEC,
}
FINAL_STATES = set(RESULTS)


class CardDeclined(Exception):
    pass


def _key() -> bytes:
    return conf.secret_key()


@transaction.atomic
def open_session(fields: dict[str, str]) -> BankSession:
    """Register a payment request (idempotent on merchant id + reference)."""
    if not verify(fields, _key(), Purpose.PAYMENT_REQUEST):
        raise InvalidSignature("requête de paiement mal signée")
    session, created = BankSession.objects.get_or_create(
        merchant_id=fields["merchant_id"],
        reference=fields["reference"],
        defaults={
            "token": secrets.token_urlsafe(24),
            "amount_cents": int(fields["amount"]),
            "label": fields.get("label", ""),
            "email": fields.get("email", ""),
            "return_url": fields["return_url"],
            "notify_url": fields["notify_url"],
        },
    )
    if not created and session.amount_cents != int(fields["amount"]):
        raise InvalidSignature("référence déjà utilisée pour un autre montant")
    return session


def locked(token: str) -> BankSession:
    return BankSession.objects.select_for_update().get(token=token)


def _complete(session: BankSession, state: str, reason: str = "") -> None:
    session.state = state
    session.reason = reason
    session.completed_at = timezone.now()
    if state == BankSessionState.AUTORISEE:
        session.authorisation_number = f"{secrets.randbelow(10**6):06d}"
    session.save()
    session_id = session.pk
    transaction.on_commit(lambda: deliver_notification.enqueue(session_id=session_id))


@transaction.atomic
def pay_with_card(*, token: str, card_number: str) -> BankSession:
    """The buyer validated the card form (already checked: Luhn, expiry,
    CVV). A session already completed is returned unchanged: a double click
    never authorises twice."""
    session = locked(token)
    if session.state != BankSessionState.OUVERTE:
        return session
    session.card_last4 = card_number[-4:]
    card = cards.BY_NUMBER.get(card_number)
    behaviour = card.behaviour if card else None
    if behaviour == cards.ACCEPTED:
        _complete(session, BankSessionState.AUTORISEE)
    elif behaviour == cards.CHALLENGE:
        session.state = BankSessionState.CHALLENGE
        session.challenge_code = f"{secrets.randbelow(10**6):06d}"
        session.save()
    elif behaviour == cards.REFUSED:
        _complete(session, BankSessionState.REFUSEE, _("Paiement refusé par votre banque."))
    elif behaviour == cards.INSUFFICIENT_FUNDS:
        _complete(session, BankSessionState.REFUSEE, _("Provision insuffisante."))
    elif behaviour == cards.TIMEOUT:
        _complete(
            session,
            BankSessionState.ECHEC,
            _("Le serveur d’autorisation n’a pas répondu dans le délai."),
        )
    else:
        _complete(session, BankSessionState.REFUSEE, _("Carte inconnue de la banque."))
    return session


@transaction.atomic
def answer_challenge(*, token: str, code: str) -> tuple[BankSession, bool]:
    """3-D Secure: returns (session, code_was_right)."""
    session = locked(token)
    if session.state != BankSessionState.CHALLENGE:
        return session, False
    if secrets.compare_digest(code.strip(), session.challenge_code):
        _complete(session, BankSessionState.AUTORISEE)
        return session, True
    session.challenge_attempts += 1
    if session.challenge_attempts >= MAX_CHALLENGE_ATTEMPTS:
        _complete(session, BankSessionState.REFUSEE, _("Authentification 3-D Secure échouée."))
    else:
        session.save(update_fields=["challenge_attempts"])
    return session, False


@transaction.atomic
def cancel(*, token: str) -> BankSession:
    session = locked(token)
    if session.state in (BankSessionState.OUVERTE, BankSessionState.CHALLENGE):
        _complete(session, BankSessionState.ANNULEE, _("Paiement annulé par l’acheteur."))
    return session


def expire_sessions(*, older_than_minutes: int | None = None) -> int:
    """Sessions left open (tab closed before paying) are cancelled, and the
    portal is told so."""
    minutes = older_than_minutes if older_than_minutes is not None else conf.pending_minutes()
    limit = timezone.now() - timedelta(minutes=minutes)
    count = 0
    for token in BankSession.objects.filter(
        state__in=[BankSessionState.OUVERTE, BankSessionState.CHALLENGE], created_at__lt=limit
    ).values_list("token", flat=True):
        with transaction.atomic():
            session = locked(token)
            if session.state in (BankSessionState.OUVERTE, BankSessionState.CHALLENGE):
                _complete(session, BankSessionState.ANNULEE, _("Délai de paiement dépassé."))
                count += 1
    return count


def notification_fields(session: BankSession) -> dict[str, str]:
    fields = {
        "merchant_id": session.merchant_id,
        "reference": session.reference,
        "amount": str(session.amount_cents),
        "currency": "978",
        "result": str(RESULTS[session.state]),
        "transaction_id": session.token,
        "authorisation": session.authorisation_number,
        "reason": session.reason,
        "timestamp": timezone.now().strftime("%Y%m%d%H%M%S"),
    }
    fields["signature"] = sign(fields, _key(), Purpose.NOTIFICATION)
    return fields


@task()
def deliver_notification(*, session_id: int) -> str:
    """Post the signed result to the portal (server to server)."""
    session = BankSession.objects.get(pk=session_id)
    fields = notification_fields(session)
    mode = conf.local_notify_mode()
    delivered = False
    if mode in ("auto", "http"):
        try:
            response = requests.post(session.notify_url, data=fields, timeout=10)
            delivered = response.status_code == 200
            if not delivered:
                logger.warning(
                    "Notification %s refusée : HTTP %s", session.reference, response.status_code
                )
        except requests.RequestException as exc:
            logger.info("Notification %s non remise par HTTP : %s", session.reference, exc)
        if not delivered and mode == "http":
            raise RuntimeError(f"notification {session.reference} non remise")
    if not delivered:
        from ..notifications import receive_notification

        status, _outcome = receive_notification(provider_code="local", fields=fields)
        delivered = status == 200
    if delivered:
        BankSession.objects.filter(pk=session_id).update(notified_at=timezone.now())
    return "remise" if delivered else "echec"


@transaction.atomic
def refund(fields: dict[str, str]) -> None:
    if not verify(fields, _key(), Purpose.REFUND):
        raise InvalidSignature("demande de remboursement mal signée")
    session = BankSession.objects.select_for_update().get(
        merchant_id=fields["merchant_id"], reference=fields["reference"]
    )
    amount = int(fields["amount"])
    if session.state != BankSessionState.AUTORISEE or (
        session.refunded_cents + amount > session.amount_cents
    ):
        raise CardDeclined("remboursement supérieur au montant payé")
    session.refunded_cents += amount
    session.save(update_fields=["refunded_cents"])
