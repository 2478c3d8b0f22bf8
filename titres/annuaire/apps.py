from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnuaireConfig(AppConfig):
    name = "titres.annuaire"
    label = "annuaire"
    verbose_name = _("Services associés et annonces")
