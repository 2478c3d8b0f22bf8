"""The portal's side of provider notifications (server to server).

Only a notification whose signature verifies may change a payment, and the
signature is verified before anything is stored. The endpoint is anonymous
and CSRF-exempt by nature, so what a stranger can make it write is bounded:
- the view refuses bodies over MAX_BODY_BYTES and more than
  NOTIFICATION_IP_LIMIT calls per address (the provider's servers are few);
- a rejected call is journaled and kept (as a bounded summary, never its
  payload) only for the first from its address in the refusal window; the
  next ones are counted (titres.core.refusals).
Processing is idempotent (the payment row is locked and a settled payment
never changes again)."""

from titres.core.refusals import record_refusal
from titres.paiements.audit import PaiementsEvent

from .models import PaymentNotification
from .providers import get_provider
from .providers.base import InvalidSignature
from .services import settle_payment

MAX_BODY_BYTES = 16 * 1024  # a real notification is a dozen short fields
NOTIFICATION_IP_LIMIT = "600/minute"
SUMMARY_NAMES = 20  # field names kept from a rejected call
SUMMARY_NAME_CHARS = 40
SUMMARY_VALUE_CHARS = 40


def rejected_summary(fields: dict[str, str]) -> dict:
    """What is kept of a rejected call: its shape, never its content
    (bounded to about 2 KB whatever was sent)."""
    names = sorted(str(name)[:SUMMARY_NAME_CHARS] for name in fields)
    return {
        "champs": len(fields),
        "octets": sum(len(str(k)) + len(str(v)) for k, v in fields.items()),
        "noms": names[:SUMMARY_NAMES],
        **{
            name: str(fields.get(name, ""))[:SUMMARY_VALUE_CHARS]
            for name in ("merchant_id", "reference", "amount", "result")
            if name in fields
        },
    }


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
        summary = rejected_summary(fields)
        if record_refusal(
            PaiementsEvent.NOTIFICATION_REFUSED,
            request=request,
            object_type="paiements.payment",
            object_id=reference,
            data={"prestataire": provider_code, "reference": reference, "motif": str(exc)},
        ):
            PaymentNotification.objects.create(
                provider=provider_code,
                reference=reference,
                payload=summary,
                signature_valid=False,
                outcome="signature_invalide",
            )
        return 403, "signature_invalide"
    outcome, _payment = settle_payment(
        notification=notification, provider_code=provider_code, request=request
    )
    if outcome in ("paiement_inconnu", "incoherente"):
        return 400, outcome
    return 200, outcome
