"""Hooks called by titres.accounts (export of personal data, deletion)."""

from .models import FranceConnectIdentity, LinkRequest

COVERS = {
    "franceconnect.FranceConnectIdentity": "export et effacement",
    "franceconnect.LinkRequest": "effacement (demande de liaison temporaire)",
}
EXEMPT: dict[str, str] = {}


def export(user) -> dict | None:
    identity = FranceConnectIdentity.objects.filter(user=user).first()
    if identity is None:
        return None
    return {
        "origine": identity.origin,
        "niveau_eidas": identity.eidas_level,
        "prenoms": identity.given_name,
        "nom_de_naissance": identity.family_name,
        "nom_d_usage": identity.preferred_username,
        "date_de_naissance": identity.birthdate.isoformat() if identity.birthdate else None,
        "sexe": identity.gender,
        "lieu_de_naissance": identity.birthplace,
        "pays_de_naissance": identity.birthcountry,
        "courriel_franceconnect": identity.email,
        "liee_le": identity.created_at.isoformat(),
        "verifiee_le": identity.verified_at.isoformat(),
    }


def erase(user) -> None:
    FranceConnectIdentity.objects.filter(user=user).delete()
    LinkRequest.objects.filter(user=user).delete()
