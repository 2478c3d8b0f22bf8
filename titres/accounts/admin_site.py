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
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from titres.accounts.audit import AccountsEvent
from titres.core.journal import record_event

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

    def clean_otp(self, user):
        try:
            super().clean_otp(user)
        except forms.ValidationError as error:
            if user is not None and error.code == "invalid_token":
                # The password was right: a wrong code is worth an entry.
                with transaction.atomic():
                    record_event(
                        AccountsEvent.ADMIN_OTP_REFUSED,
                        actor=None,
                        request=self.request,
                        target=user,
                    )
            raise

    def get_invalid_login_error(self):
        # A lock is not a wrong password: say so (same words as the portal).
        message = getattr(self.request, LOCK_MESSAGE_ATTRIBUTE, None)
        if message:
            return forms.ValidationError(message, code="locked")
        return super().get_invalid_login_error()


class TitresAdminSite(OTPAdminSite):
    login_form = TitresAdminAuthenticationForm

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        if (
            request.method == "POST"
            and request.user.is_authenticated
            and response.status_code == 302
        ):
            with transaction.atomic():
                record_event(
                    AccountsEvent.ADMIN_LOGIN,
                    actor=request.user,
                    request=request,
                    target=request.user,
                )
        return response


def install_on_default_site() -> None:
    from django.contrib import admin

    if not isinstance(admin.site, TitresAdminSite):
        admin.site.__class__ = TitresAdminSite
