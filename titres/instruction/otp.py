"""TOTP enrolment helpers: the QR code of the otpauth:// URL as an inline
SVG data URI (the CSP allows img data:), and the secret in base32 for
people who type it; the middleware that reads the session's verified
device on every request."""

import base64
from binascii import unhexlify
from functools import cache
from urllib.parse import quote

import segno
from django.apps import apps
from django_otp import middleware as otp_middleware
from django_otp.models import Device

from titres.core.prepared import PreparedInstances


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


@cache
def _device_query(device_class) -> PreparedInstances:
    return PreparedInstances(device_class, lambda *, pk: device_class.objects.filter(id=pk))


def device_from_persistent_id(persistent_id: str):
    """`Device.from_persistent_id`: the device that "app.model/id" names,
    or None (a malformed id, an unknown model, a model that is not a
    device, no such row), read with a query compiled once per device
    model instead of the ORM's on every request (issue 17)."""
    try:
        model_label, device_id = persistent_id.rsplit("/", 1)
        app_label, model_name = model_label.split(".")
        device_class = apps.get_model(app_label, model_name)
        pk = int(device_id)
    except (ValueError, LookupError):
        return None
    if not issubclass(device_class, Device):
        return None
    return _device_query(device_class).first(pk=pk)


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django_otp's middleware (settings.MIDDLEWARE), the device read by
    `device_from_persistent_id`. Nothing is kept between requests: the
    device is read on every request, and django_otp's own check
    (`_finalize_device`: the device still exists, is confirmed and
    belongs to the signed-in user, or the verification ends) is
    unchanged."""

    def _device_from_persistent_id(self, persistent_id: str):
        return device_from_persistent_id(self._normalize_persistent_id(persistent_id))
