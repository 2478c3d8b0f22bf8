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
from enum import StrEnum
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
# Version label of the encoding below: a signature made under another
# scheme can never verify under this one.
SCHEME = b"titres.paiements.hmac.v2"


class Purpose(StrEnum):
    """What a signed message is for. Each has its own key (derived from the
    shared secret) and is named inside the signed bytes: a signed payment
    request replayed as a notification, or a notification as a refund, does
    not verify."""

    PAYMENT_REQUEST = "payment-request"
    NOTIFICATION = "notification"
    REFUND = "refund"


def _netstring(value: str) -> bytes:
    data = value.encode("utf-8", "surrogatepass")
    return b"%d:%s," % (len(data), data)


def canonical_bytes(fields: dict[str, str], purpose: Purpose) -> bytes:
    """Unambiguous encoding: every key and value as a length-prefixed
    netstring (`5:hello,`), sorted by key, signature excluded, after the
    scheme and the purpose. `a=1&b=2` can no longer be confused with a single
    field `a` worth `1&b=2`."""
    parts = [_netstring(SCHEME.decode()), _netstring(str(purpose))]
    for key in sorted(fields):
        if key != SIGNATURE_FIELD:
            parts.append(_netstring(str(key)) + _netstring(str(fields[key])))
    return b"".join(parts)


def purpose_key(key: bytes, purpose: Purpose) -> bytes:
    """One key per message type, derived from the shared secret (HKDF-like
    expansion with HMAC-SHA256)."""
    return hmac.new(key, SCHEME + b"/" + str(purpose).encode(), hashlib.sha256).digest()


def sign(fields: dict[str, str], key: bytes, purpose: Purpose) -> str:
    return hmac.new(
        purpose_key(key, purpose), canonical_bytes(fields, purpose), hashlib.sha256
    ).hexdigest()


def verify(fields: dict[str, str], key: bytes, purpose: Purpose) -> bool:
    given = str(fields.get(SIGNATURE_FIELD, ""))
    # Anything but 64 hexadecimal digits (empty, non-ASCII, too long) is
    # simply wrong; compare_digest would raise TypeError on non-ASCII text.
    if len(given) != 64 or not all(c in "0123456789abcdef" for c in given):
        return False
    return hmac.compare_digest(sign(fields, key, purpose).encode(), given.encode())
