from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiculesConfig(AppConfig):
    name = "titres.vehicules"
    label = "vehicules"
    verbose_name = _("Immatriculation des véhicules (SIV)")
