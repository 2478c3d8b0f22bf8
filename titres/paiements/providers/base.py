"""The shape every card payment provider adapter has.

It follows French public-sector card payment (PayFiP/TIPI, or a bank's
hosted page such as Systempay): the portal sends the merchant id, a
transaction reference, the amount in cents, a return URL and a notification
URL, signed with HMAC-SHA256 under a key shared with the provider; the buyer
pays on the provider's hosted page; the provider then posts a signed
server-to-server notification with the result, which alone settles the
payment; the buyer's return to the shop only displays it."""

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Protocol


class InvalidSignature(Exception):
    """A notification (or request) whose signature does not verify."""


@dataclass(frozen=True)
class PaymentRequest:
    merchant_id: str
    reference: str
    amount_cents: int
    label: str
    email: str
    return_url: str
    notify_url: str


@dataclass(frozen=True)
class Redirect:
    """Where to send the buyer's browser to pay."""

    url: str
    provider_transaction_id: str = ""


@dataclass(frozen=True)
class Notification:
    """A verified provider notification."""

    merchant_id: str
    reference: str
    amount_cents: int
    result: str  # enums.PaymentResult
    transaction_id: str = ""
    authorisation_number: str = ""
    reason: str = ""
    raw: dict = field(default_factory=dict)


class PaymentProvider(Protocol):
    code: str

    def start(self, request: PaymentRequest) -> Redirect:
        """Register the payment with the provider and return the hosted
        page to send the buyer to."""

    def parse_notification(self, fields: dict[str, str]) -> Notification:
        """Verify and decode a notification; raise InvalidSignature."""

    def refund(self, *, reference: str, amount_cents: int) -> None:
        """Give `amount_cents` back to the card used for `reference`."""


SIGNATURE_FIELD = "signature"


def canonical_string(fields: dict[str, str]) -> str:
    """Sorted key=value pairs joined with '&', signature excluded."""
    return "&".join(f"{key}={fields[key]}" for key in sorted(fields) if key != SIGNATURE_FIELD)


def sign(fields: dict[str, str], key: bytes) -> str:
    return hmac.new(key, canonical_string(fields).encode(), hashlib.sha256).hexdigest()


def verify(fields: dict[str, str], key: bytes) -> bool:
    given = fields.get(SIGNATURE_FIELD, "")
    return bool(given) and hmac.compare_digest(sign(fields, key), given)
