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


def throttled_until(user):
    """When the agent may try a code again, or None if they may now.

    django_otp doubles the wait after each wrong code and then refuses every
    code, the right one included, until the wait is over: the page must say
    so (with the time), not "wrong code". Only when every confirmed device
    is throttled (a backup device that is not would accept its code)."""
    from django_otp import devices_for_user

    until = []
    for device in devices_for_user(user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if allowed:
            return None
        if data and data.get("locked_until"):
            until.append(data["locked_until"])
    return min(until) if until else None
