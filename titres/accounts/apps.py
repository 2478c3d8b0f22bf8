from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "titres.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from . import checks, links  # noqa: F401 - registers the checks and e-mail link makers
        from .admin_site import install_on_default_site

        # Operators need a second factor at /gestion/ (django_otp).
        install_on_default_site()
