"""Reads other apps rely on: did this account's identity come from
FranceConnect, and at which eIDAS level?"""

from .conf import EIDAS_RANK
from .enums import EidasLevel, IdentityOrigin
from .models import FranceConnectIdentity


def franceconnect_identity_for(user) -> FranceConnectIdentity | None:
    """The FranceConnect identity linked to the account, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return FranceConnectIdentity.objects.filter(user=user).first()


def has_verified_identity(
    user,
    *,
    minimum_level: str = EidasLevel.EIDAS1,
    origins: tuple[str, ...] | None = None,
) -> bool:
    """True when the account's identity was certified by FranceConnect at
    `minimum_level` or above. `origins` restricts which providers count
    (e.g. `(IdentityOrigin.FRANCECONNECT,)` to exclude the local provider);
    by default every origin counts, so development works end to end."""
    identity = franceconnect_identity_for(user)
    if identity is None:
        return False
    if origins is not None and identity.origin not in origins:
        return False
    return identity.eidas_rank >= EIDAS_RANK[minimum_level]


__all__ = ["IdentityOrigin", "franceconnect_identity_for", "has_verified_identity"]
