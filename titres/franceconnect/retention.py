"""Retention rules of FranceConnect (docs/retention.md)."""

from datetime import datetime, timedelta

from titres.core.data_retention import Action, RetentionRule

from .models import LinkRequest

LINK_REQUEST_GRACE_DAYS = 7


def purge_link_requests(now: datetime) -> int:
    """Link requests (the identity FranceConnect sent, waiting for the
    citizen to confirm) once expired or completed, after a week."""
    deleted, _ = LinkRequest.objects.filter(
        expires_at__lt=now - timedelta(days=LINK_REQUEST_GRACE_DAYS)
    ).delete()
    return deleted


RULES = [
    RetentionRule(
        model="franceconnect.FranceConnectIdentity",
        data="Identité pivot FranceConnect liée au compte (nom, prénoms, naissance, e-mail)",
        duration="Avec le compte (supprimée avec lui ou à la dissociation)",
        basis="Identification de l’usager (arrêté FranceConnect du 8 novembre 2018).",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="franceconnect.LinkRequest",
        data="Demandes de rattachement FranceConnect en attente (identité reçue)",
        duration=f"{LINK_REQUEST_GRACE_DAYS} jours après leur expiration",
        basis="Minimisation : la demande est terminée ou n’a pas abouti.",
        action=Action.SUPPRIMER,
        purge=purge_link_requests,
    ),
]
