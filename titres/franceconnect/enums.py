from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentityOrigin(models.TextChoices):
    """Which provider vouched for the identity. Only FRANCECONNECT is the
    State's production service; the others exist for tests and development."""

    FRANCECONNECT = "franceconnect", _("FranceConnect")
    FRANCECONNECT_INTEGRATION = (
        "franceconnect_integration",
        _("FranceConnect (environnement d’intégration)"),
    )
    LOCAL_PROVIDER = "fournisseur_local", _("Fournisseur d’identité local (démonstration)")


class EidasLevel(models.TextChoices):
    EIDAS1 = "eidas1", _("eIDAS faible")
    EIDAS2 = "eidas2", _("eIDAS substantiel")
    EIDAS3 = "eidas3", _("eIDAS élevé")


class LinkMethod(models.TextChoices):
    CREATED = "creation", _("Compte créé avec FranceConnect")
    PASSWORD = "mot_de_passe", _("Mot de passe du compte existant")
    EMAIL = "courriel", _("Lien reçu par courriel")
    SESSION = "session", _("Depuis le compte déjà connecté")
