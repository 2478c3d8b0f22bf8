from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaiementsConfig(AppConfig):
    name = "titres.paiements"
    label = "paiements"
    verbose_name = _("Paiements et timbres")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
