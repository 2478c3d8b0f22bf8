"""TOTP enrolment helpers: the QR code of the otpauth:// URL as an inline
SVG data URI (the CSP allows img data:), and the secret in base32 for
people who type it."""

import base64
from binascii import unhexlify
from urllib.parse import quote

import segno


def qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=5, dark="#000091", light="#ffffff")
    return "data:image/svg+xml;charset=utf-8," + quote(svg)


def secret_base32(device) -> str:
    return base64.b32encode(unhexlify(device.key)).decode()
