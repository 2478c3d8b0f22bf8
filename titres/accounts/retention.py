"""Retention rules of accounts (docs/retention.md)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError

from titres.core.data_retention import Action, RetentionRule

from . import lockout
from .models import User

UNACTIVATED_GRACE_DAYS = 7


def purge_unactivated_signups(now: datetime) -> int:
    """Sign-ups whose activation link expired more than a week ago and that
    were never activated (an operator's deactivation keeps `is_active` and
    sets a suspension instead, so it is not caught here)."""
    cutoff = now - timedelta(hours=settings.ACCOUNT_ACTIVATION_HOURS, days=UNACTIVATED_GRACE_DAYS)
    count = 0
    for user in User.objects.filter(
        is_active=False,
        email_verified_at__isnull=True,
        last_login__isnull=True,
        date_joined__lt=cutoff,
    ).iterator():
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            continue  # has made something of record meanwhile: an operator decides
        count += 1
    return count


def purge_login_counters(now: datetime) -> int:
    return lockout.purge_expired()


RULES = [
    RetentionRule(
        model="accounts.User",
        name="non_actives",
        data="Inscriptions jamais activées (identité, e-mail, téléphone)",
        duration=(
            f"{UNACTIVATED_GRACE_DAYS} jours après l’expiration du lien d’activation "
            f"({settings.ACCOUNT_ACTIVATION_HOURS} h)"
        ),
        basis="Minimisation (RGPD art. 5-1-c et e) : le compte n’a jamais servi.",
        action=Action.SUPPRIMER,
        purge=purge_unactivated_signups,
    ),
    RetentionRule(
        model="accounts.User",
        data="Comptes activés (identité, coordonnées, profil)",
        duration="Pendant la durée de vie du compte",
        basis="Exécution du service (CGU) ; supprimé à la clôture du compte.",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="accounts.TermsAcceptance",
        data="Acceptations des CGU (version, date)",
        duration="Avec le compte (supprimées avec lui)",
        basis="Preuve du consentement aux CGU (convention de preuve, CGU §1.17).",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="accounts.Habilitation",
        data="Habilitations des professionnels (raison sociale, responsable, e-mail)",
        duration="Pendant l’habilitation et tant que le compte existe",
        basis="Contrôle des professionnels habilités par la préfecture (mission d’intérêt public).",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="accounts.MairieAccountRequest",
        data="Demandes de compte mairie (contact, e-mail, téléphone)",
        duration="Pendant l’instruction de la demande puis avec le compte créé",
        basis="Gestion des comptes des mairies (mission d’intérêt public).",
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="accounts.LoginThrottle",
        data="Compteurs d’échecs de connexion (empreinte du compte ou de l’adresse IP)",
        duration="Supprimés une fois la fenêtre de comptage passée et sans verrou en cours",
        basis="Sécurité du service (protection contre les attaques par force brute).",
        action=Action.SUPPRIMER,
        purge=purge_login_counters,
    ),
]
