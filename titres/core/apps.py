from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "titres.core"
    label = "core"
    verbose_name = _("Noyau")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
