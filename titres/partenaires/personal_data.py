"""Hooks called by titres.accounts: the partner organisations an account
belongs to (right of access)."""

from .models import Partner

COVERS = {
    "partenaires.Partner": "export: organisations partenaires dont le compte est membre",
}
EXEMPT = {
    "partenaires.Retirement": "retrait d’une version de l’API programmé par un opérateur (journalisé)",
}


def export(user) -> list[dict] | None:
    return [
        {"organisation": partner.name, "siret": partner.siret}
        for partner in Partner.objects.filter(members=user).order_by("name")
    ] or None
