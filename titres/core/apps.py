from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "titres.core"
    label = "core"
    verbose_name = _("Noyau")

    def ready(self):
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
        from django.db.models.signals import post_delete, post_save
        from dsfr.models import DsfrConfig

        from . import checks  # registers the system checks
        from .context_processors import forget_site_config
        from .twoddoc import keys

        post_save.connect(forget_site_config, sender=DsfrConfig, dispatch_uid="core-site-config")
        post_delete.connect(forget_site_config, sender=DsfrConfig, dispatch_uid="core-site-config")
        keys.STARTED_WITH_DEBUG = bool(settings.DEBUG)
        # Refuse to start rather than print 2D-Docs no reader can trust
        # (a key made on the fly) or fail at the first certificate printed;
        # and (gunicorn runs no system check) rather than run several
        # processes that each keep their own limits.
        refusal = keys.configuration_refusal() or checks.process_local_state_refusal()
        if refusal:
            raise ImproperlyConfigured(refusal)
