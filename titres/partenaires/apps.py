from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartenairesConfig(AppConfig):
    name = "titres.partenaires"
    label = "partenaires"
    verbose_name = _("API partenaires")

    def ready(self):
        from . import tokencache

        tokencache.connect()
