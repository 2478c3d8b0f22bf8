"""The operators' admin (/gestion/) with a second factor.

django_otp's OTPAdminSite only lets in staff users verified by one of their
OTP devices (TOTP application or static backup codes) during this session;
the login form asks for the code after the password. The password step goes
through authenticate(), hence through backends.LockoutModelBackend and the
portal's lockout.

AccountsConfig.ready() turns the default admin site (admin.site, mounted by
titres/urls.py) into this class, so every ModelAdmin already registered on it
is kept and no URL changes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from .backends import LOCK_MESSAGE_ATTRIBUTE


class TitresAdminAuthenticationForm(OTPAdminAuthenticationForm):
    otp_error_messages = dict(
        OTPAdminAuthenticationForm.otp_error_messages,
        token_required=_(
            "Saisissez le code à usage unique de votre application d’authentification "
            "(ou un code de secours)."
        ),
        invalid_token=_("Code à usage unique incorrect. Vérifiez-le et réessayez."),
        device_required=_("Choisissez le dispositif qui fournit votre code."),
    )

    def get_invalid_login_error(self):
        # A lock is not a wrong password: say so (same words as the portal).
        message = getattr(self.request, LOCK_MESSAGE_ATTRIBUTE, None)
        if message:
            return forms.ValidationError(message, code="locked")
        return super().get_invalid_login_error()


class TitresAdminSite(OTPAdminSite):
    login_form = TitresAdminAuthenticationForm


def install_on_default_site() -> None:
    from django.contrib import admin

    if not isinstance(admin.site, TitresAdminSite):
        admin.site.__class__ = TitresAdminSite
