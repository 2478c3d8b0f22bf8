"""The local provider: talks to the bank simulated in `titres.paiements.localbank`
exactly as it would to a real one (signed fields in, signed notification out)."""

from django.urls import reverse
from django.utils import timezone

from .. import conf
from ..enums import PaymentResult
from .base import (
    InvalidSignature,
    Notification,
    PaymentRequest,
    Purpose,
    Redirect,
    sign,
    verify,
)

NOTIFICATION_FIELDS = (
    "merchant_id",
    "reference",
    "amount",
    "currency",
    "result",
    "transaction_id",
    "authorisation",
    "reason",
    "timestamp",
)


class LocalProvider:
    code = "local"

    def _signed(self, fields: dict[str, str], purpose: Purpose) -> dict[str, str]:
        fields = {key: str(value) for key, value in fields.items()}
        fields["signature"] = sign(fields, conf.secret_key(), purpose)
        return fields

    def start(self, request: PaymentRequest) -> Redirect:
        from ..localbank import bank

        fields = self._signed(
            {
                "merchant_id": request.merchant_id,
                "reference": request.reference,
                "amount": request.amount_cents,
                "currency": "978",  # ISO 4217 euro, as the card schemes expect
                "label": request.label,
                "email": request.email,
                "return_url": request.return_url,
                "notify_url": request.notify_url,
                "timestamp": timezone.now().strftime("%Y%m%d%H%M%S"),
            },
            Purpose.PAYMENT_REQUEST,
        )
        # Stands for the provider's web service returning a payment token.
        session = bank.open_session(fields)
        return Redirect(
            url=reverse("paiements:banque", args=[session.token]),
            provider_transaction_id=session.token,
        )

    def parse_notification(self, fields: dict[str, str]) -> Notification:
        fields = {key: str(value) for key, value in fields.items()}
        if not verify(fields, conf.secret_key(), Purpose.NOTIFICATION):
            raise InvalidSignature("signature HMAC-SHA256 absente ou invalide")
        missing = [
            name
            for name in ("merchant_id", "reference", "amount", "result")
            if not fields.get(name)
        ]
        if missing:
            raise InvalidSignature(f"champs manquants : {', '.join(missing)}")
        if fields["result"] not in PaymentResult.values or not fields["amount"].isdigit():
            raise InvalidSignature("résultat ou montant illisible")
        return Notification(
            merchant_id=fields["merchant_id"],
            reference=fields["reference"],
            amount_cents=int(fields["amount"]),
            result=fields["result"],
            transaction_id=fields.get("transaction_id", ""),
            authorisation_number=fields.get("authorisation", ""),
            reason=fields.get("reason", ""),
            raw={key: fields.get(key, "") for key in NOTIFICATION_FIELDS},
        )

    def refund(self, *, reference: str, amount_cents: int) -> None:
        from ..localbank import bank

        bank.refund(
            self._signed(
                {
                    "merchant_id": conf.merchant_id(),
                    "reference": reference,
                    "amount": amount_cents,
                    "timestamp": timezone.now().strftime("%Y%m%d%H%M%S"),
                },
                Purpose.REFUND,
            )
        )
