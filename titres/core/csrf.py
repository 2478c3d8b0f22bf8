"""The template's `csrf_token` with one random draw instead of 64.

Django's `get_token` masks the CSRF secret with a new random mask on every
page that shows a form (BREACH: the token on the page changes at each
response): `get_random_string` draws each of the mask's 32 characters with
its own `secrets.choice`, then two generators index every character, about
490 Python calls on every page of the portal (the header's logout form),
4 % of "Mes démarches" (issue 17, docs/capacity.md eighth pass).

`masked_token` gives the same token: the same secret (read from, or added
to, `request.META` exactly as `get_token` does, the cookie renewed in the
response by CsrfViewMiddleware), a mask of 32 characters each uniform over
the 62 allowed ones and independent (the base-62 digits of one
`secrets.randbelow(62**32)`), and the cipher Django's
`_unmask_cipher_token` reverses. Django checks the POSTed token as before:
nothing changes on the checking side.

Installed as the last template context processor (settings.TEMPLATES):
it replaces the `csrf_token` of Django's built-in processor, which stays
lazy and is never evaluated."""

import secrets

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import SimpleLazyObject

_BASE = len(CSRF_ALLOWED_CHARS)
_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
_DRAWS = _BASE**CSRF_SECRET_LENGTH
_POWERS = [_BASE**position for position in range(CSRF_SECRET_LENGTH)]


def _mask(secret: str, draw: int) -> str:
    """The token of `secret` for the mask whose base-62 digits (lowest
    first) are `draw`'s: Django's `_mask_cipher_secret` for that mask."""
    chars = CSRF_ALLOWED_CHARS
    digits = [draw // power % _BASE for power in _POWERS]
    mask = "".join([chars[digit] for digit in digits])
    cipher = "".join(
        [chars[(_INDEX[char] + digit) % _BASE] for char, digit in zip(secret, digits, strict=True)]
    )
    return mask + cipher


def masked_token(request) -> str:
    """What `django.middleware.csrf.get_token(request)` returns (a new
    random mask each call), in a few calls."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        # No secret yet: Django's own function adds one (and flags the cookie).
        return get_token(request)
    # As get_token: the cookie is in use, send it again to renew its expiry.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return _mask(secret, secrets.randbelow(_DRAWS))


def csrf(request) -> dict:
    """Context processor: `csrf_token`, lazy as Django's."""
    return {"csrf_token": SimpleLazyObject(lambda: masked_token(request))}
