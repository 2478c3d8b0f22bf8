from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiculesConfig(AppConfig):
    name = "titres.vehicules"
    label = "vehicules"
    verbose_name = _("Immatriculation des véhicules (SIV)")

    def ready(self):
        # The téléprocédure "J'achète ou je reçois un véhicule d'occasion"
        # (seed 003) and the listener that files it once the taxes are paid.
        from .changement import payment, procedure  # noqa: F401

        procedure.register()
