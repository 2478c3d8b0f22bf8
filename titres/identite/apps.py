from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentiteConfig(AppConfig):
    name = "titres.identite"
    label = "identite"
    verbose_name = _("Carte d’identité et passeport")

    def ready(self):
        # The téléprocédure "Pré-demande carte d'identité / passeport".
        from . import procedure

        procedure.register()
