"""Token secrets: `tit_<key id>_<secret>`. The key id (public) finds the
row; the stored hash is HMAC-SHA256 of the whole token under a key derived
from SECRET_KEY, so a copy of the database gives no usable token."""

import base64
import functools
import hashlib
import hmac
import re
import secrets

from django.conf import settings

PREFIX = "tit"
_FORMAT = re.compile(r"^tit_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


def _key(purpose: str) -> bytes:
    return _derived(settings.SECRET_KEY, purpose)


@functools.lru_cache(maxsize=16)
def _derived(secret_key: str, purpose: str) -> bytes:
    # Twice per call otherwise (token hash, parameters hash).
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).digest()


def make_secret() -> tuple[str, str]:
    """A new (token, key id)."""
    key_id = secrets.token_hex(6)
    return f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}", key_id


def demo_secret() -> tuple[str, str]:
    """The demonstration token (titres.partenaires.demo): derived from
    SECRET_KEY, so `make run` can print it at every start although only its
    hash is stored. Development and demo platforms only: with a real
    SECRET_KEY nobody can recompute it, but it is printed on the console."""
    raw = hmac.new(_key("partenaires.demo-token"), b"demo", hashlib.sha256).digest()
    key_id = raw[:6].hex()
    body = base64.urlsafe_b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")
    return f"{PREFIX}_{key_id}_{body}", key_id


def digest(token: str) -> str:
    return hmac.new(_key("partenaires.token"), token.encode(), hashlib.sha256).hexdigest()


def split(token: str) -> str | None:
    """The key id of a well-formed token, else None."""
    match = _FORMAT.match(token or "")
    return match.group(1) if match else None


def matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(digest(token), stored_hash)


def params_digest(canonical: str) -> str:
    """Keyed hash of a call's parameters for the call log."""
    return hmac.new(_key("partenaires.calllog"), canonical.encode(), hashlib.sha256).hexdigest()
