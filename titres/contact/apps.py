from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "titres.contact"
    label = "contact"
    verbose_name = _("Contact et réclamations")

    def ready(self):
        from . import checks, signals  # noqa: F401 - registers the check and the receivers
