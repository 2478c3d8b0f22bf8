from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevidpConfig(AppConfig):
    name = "titres.devidp"
    label = "devidp"
    verbose_name = _("Fournisseur d'identité local")
