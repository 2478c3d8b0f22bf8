"""ECDSA signature of a 2D-Doc: over the header and the message (everything
before US), with the hash of the key's curve (P-256: SHA-256, P-384:
SHA-384, P-521: SHA-512); written as r ‖ s, each on the curve's size, in
base32 (RFC 4648) without padding."""

import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

_HASHES = {"secp256r1": hashes.SHA256, "secp384r1": hashes.SHA384, "secp521r1": hashes.SHA512}


class SignatureFormatError(ValueError):
    """Unreadable signature text; `str()` is French."""


def _size(curve: ec.EllipticCurve) -> int:
    return (curve.key_size + 7) // 8


def _hash(curve: ec.EllipticCurve):
    try:
        return _HASHES[curve.name]()
    except KeyError:
        raise SignatureFormatError(f"courbe non prise en charge : {curve.name}")


def b32encode(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def b32decode(text: str) -> bytes:
    if not text or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in text):
        raise SignatureFormatError("la signature n’est pas en base32")
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise SignatureFormatError("la signature base32 est tronquée")
    # The last character carries unused bits: a text that differs from the
    # canonical encoding (those bits set) would decode to the same bytes and
    # let a changed character pass unnoticed. Only the canonical one is read.
    if b32encode(raw) != text:
        raise SignatureFormatError("la signature base32 n’est pas sous sa forme canonique")
    return raw


def sign(private_key: ec.EllipticCurvePrivateKey, signed_text: str) -> str:
    curve = private_key.curve
    der = private_key.sign(signed_text.encode("ascii"), ec.ECDSA(_hash(curve)))
    r, s = decode_dss_signature(der)
    size = _size(curve)
    return b32encode(r.to_bytes(size, "big") + s.to_bytes(size, "big"))


def verify(public_key: ec.EllipticCurvePublicKey, signed_text: str, signature_text: str) -> bool:
    """True when `signature_text` is a signature of `signed_text` by the key;
    SignatureFormatError when it cannot even be read as one."""
    curve = public_key.curve
    raw = b32decode(signature_text)
    size = _size(curve)
    if len(raw) != 2 * size:
        raise SignatureFormatError(
            f"signature de {len(raw)} octets, {2 * size} attendus pour {curve.name}"
        )
    r, s = int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big")
    try:
        public_key.verify(
            encode_dss_signature(r, s), signed_text.encode("ascii"), ec.ECDSA(_hash(curve))
        )
    except InvalidSignature:
        return False
    return True
