from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaiementsConfig(AppConfig):
    name = "titres.paiements"
    label = "paiements"
    verbose_name = _("Paiements et timbres")

    def ready(self):
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from . import checks, conf  # noqa: F401 - checks registers the system checks

        conf.STARTED_WITH_DEBUG = bool(settings.DEBUG)
        # Refuse to start rather than sell stamps paid with fictitious cards.
        refusal = conf.local_provider_refusal()
        if refusal:
            raise ImproperlyConfigured(refusal)
