"""django-oauth-toolkit configuration of the local identity provider.

FranceConnect v2 behaviour reproduced here: scopes of the pivot identity,
pairwise `sub`, `acr=eidas1`, short-lived codes and tokens, signed userinfo,
RP-initiated logout without a confirmation page."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .keys import private_key_pem

# The claims of the pivot identity, in the order FranceConnect lists them.
PIVOT_CLAIMS = (
    "given_name",
    "family_name",
    "birthdate",
    "gender",
    "birthplace",
    "birthcountry",
    "preferred_username",
)
# The single level this provider can assert, like the FranceConnect sandbox
# "fcp-low" (eIDAS low).
ACR = "eidas1"

SCOPES = {
    "openid": _("Identifiant FranceConnect"),
    "identite_pivot": _("Identité pivot (noms, prénoms, sexe, date et lieu de naissance)"),
    "given_name": _("Prénoms"),
    "family_name": _("Nom de naissance"),
    "birthdate": _("Date de naissance"),
    "gender": _("Sexe"),
    "birthplace": _("Lieu de naissance"),
    "birthcountry": _("Pays de naissance"),
    "preferred_username": _("Nom d’usage"),
    "email": _("Adresse électronique"),
}


def oauth2_provider_settings(var_dir: Path) -> dict:
    """Every OAUTH2_PROVIDER key the local provider needs."""
    return {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": private_key_pem(var_dir),
        "OAUTH2_VALIDATOR_CLASS": "titres.devidp.validators.DevIdpValidator",
        "SCOPES": {key: str(value) for key, value in SCOPES.items()},
        "DEFAULT_SCOPES": ["openid"],
        "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
        # FranceConnect does not use PKCE; the client sends state and nonce.
        "PKCE_REQUIRED": False,
        "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
        "ACCESS_TOKEN_EXPIRE_SECONDS": 60,
        "ID_TOKEN_EXPIRE_SECONDS": 600,
        "REFRESH_TOKEN_EXPIRE_SECONDS": 60,
        "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
        # Any port on 127.0.0.1 and localhost: the test live server picks one.
        "ALLOW_LOCALHOST_LOOPBACK": True,
        "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
        "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
        "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
        "OIDC_RP_INITIATED_LOGOUT_ACCEPT_EXPIRED_TOKENS": True,
        "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
        "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
        "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
        "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
        "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    }


def refusal_reason(settings) -> str:
    """Why the local provider must not start, or "" when it may."""
    if settings.DEVIDP_ENABLED and not settings.DEBUG and not settings.DEVIDP_ALLOW_WITHOUT_DEBUG:
        return (
            "Le fournisseur d'identité local (titres.devidp) est activé alors que DEBUG est "
            "désactivé : il permet à quiconque de se connecter sous une identité de "
            "démonstration. Mettez DEVIDP_ENABLED=0 en production, ou "
            "DEVIDP_ALLOW_WITHOUT_DEBUG=1 pour un environnement de recette isolé."
        )
    return ""


def ensure_allowed(settings) -> None:
    reason = refusal_reason(settings)
    if reason:
        raise ImproperlyConfigured(reason)


def configure(settings) -> None:
    """Fill the OAUTH2_PROVIDER keys that settings.py does not set itself."""
    from oauth2_provider.settings import oauth2_settings

    current = dict(getattr(settings, "OAUTH2_PROVIDER", None) or {})
    defaults = oauth2_provider_settings(Path(settings.VAR_DIR))
    changed = False
    for key, value in defaults.items():
        if key not in current:
            current[key] = value
            changed = True
    if changed:
        settings.OAUTH2_PROVIDER = current
        # django-oauth-toolkit read OAUTH2_PROVIDER when it was imported.
        oauth2_settings.reload()
