from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "titres.core"
    label = "core"
    verbose_name = _("Noyau")

    def ready(self):
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from . import checks  # registers the system checks
        from .twoddoc import keys

        keys.STARTED_WITH_DEBUG = bool(settings.DEBUG)
        # Refuse to start rather than print 2D-Docs no reader can trust
        # (a key made on the fly) or fail at the first certificate printed;
        # and (gunicorn runs no system check) rather than run several
        # processes that each keep their own limits.
        refusal = keys.configuration_refusal() or checks.process_local_state_refusal()
        if refusal:
            raise ImproperlyConfigured(refusal)
