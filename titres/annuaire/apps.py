from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnuaireConfig(AppConfig):
    name = "titres.annuaire"
    label = "annuaire"
    verbose_name = _("Services associés et annonces")

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
