from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevidpConfig(AppConfig):
    name = "titres.devidp"
    label = "devidp"
    verbose_name = _("Fournisseur d'identité local")

    def ready(self):
        from django.conf import settings

        from . import checks  # noqa: F401 - registers the system check
        from .provider import configure, ensure_allowed

        if not settings.DEVIDP_ENABLED:
            return
        # Refuse to start rather than expose a provider that signs anyone in.
        ensure_allowed(settings)
        configure(settings)
