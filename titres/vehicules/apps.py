from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiculesConfig(AppConfig):
    name = "titres.vehicules"
    label = "vehicules"
    verbose_name = _("Immatriculation des véhicules (SIV)")

    def ready(self):
        # The téléprocédure "J'achète ou je reçois un véhicule d'occasion"
        # (seed 003), the listener that files it once the taxes are paid and the
        # one that applies the CERT's decisions to the registry.
        from .certificat import adresse, duplicata  # (their decisions.py: the rejection undone)
        from .changement import decisions, payment, procedure  # noqa: F401

        procedure.register()
        # « Je change d’adresse » and « Je demande un duplicata » (issue 18).
        adresse.register()
        duplicata.register()
        # « Immatriculation d’un véhicule neuf » for dealers (issue 18).
        from .neuf import procedure as new_vehicle

        new_vehicle.register()
