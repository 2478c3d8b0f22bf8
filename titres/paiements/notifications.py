"""The portal's side of provider notifications (server to server).

Only a notification whose signature verifies may change a payment; a forged
one is refused, kept and journaled. Processing is idempotent (the payment
row is locked and a settled payment never changes again)."""

from django.db import transaction

from titres.core.journal import record_event
from titres.paiements.audit import PaiementsEvent

from .models import PaymentNotification
from .providers import get_provider
from .providers.base import InvalidSignature
from .services import settle_payment


def receive_notification(*, provider_code: str, fields: dict[str, str], request=None):
    """Returns (HTTP status, outcome code)."""
    try:
        provider = get_provider(provider_code)
    except LookupError:
        return 404, "prestataire_inconnu"
    try:
        notification = provider.parse_notification(fields)
    except InvalidSignature as exc:
        reference = str(fields.get("reference", ""))[:20]
        with transaction.atomic():
            PaymentNotification.objects.create(
                provider=provider_code,
                reference=reference,
                payload={key: str(value)[:500] for key, value in fields.items()},
                signature_valid=False,
                outcome="signature_invalide",
            )
            record_event(
                PaiementsEvent.NOTIFICATION_REFUSED,
                request=request,
                object_type="paiements.payment",
                object_id=reference,
                data={"prestataire": provider_code, "reference": reference, "motif": str(exc)},
            )
        return 403, "signature_invalide"
    outcome, _payment = settle_payment(
        notification=notification, provider_code=provider_code, request=request
    )
    if outcome in ("paiement_inconnu", "incoherente"):
        return 400, outcome
    return 200, outcome
