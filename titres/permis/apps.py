from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermisConfig(AppConfig):
    name = "titres.permis"
    label = "permis"
    verbose_name = _("Permis de conduire")

    def ready(self):
        # The téléprocédure "Permis de conduire" (seed 002).
        from . import procedure

        procedure.register()
