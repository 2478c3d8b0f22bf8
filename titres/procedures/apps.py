from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "titres.procedures"
    label = "procedures"
    verbose_name = _("Démarches")

    def ready(self):
        from django.conf import settings

        from . import checks, conf  # noqa: F401 - checks registers the system checks

        conf.STARTED_WITH_DEBUG = bool(settings.DEBUG)
