from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FranceconnectConfig(AppConfig):
    name = "titres.franceconnect"
    label = "franceconnect"
    verbose_name = _("FranceConnect")
