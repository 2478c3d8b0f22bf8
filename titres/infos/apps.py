from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfosConfig(AppConfig):
    name = "titres.infos"
    label = "infos"
    verbose_name = _("Informations : questions fréquentes, guides, actualités")
