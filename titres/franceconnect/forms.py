from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm


class PasswordProofForm(DsfrBaseForm):
    password = forms.CharField(
        label=_("Mot de passe de ce compte"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class UnlinkWithPasswordForm(DsfrBaseForm, SetPasswordForm):
    """Unlinking an account created with FranceConnect: choose a password
    first, otherwise the account could no longer be used."""

    new_password1 = forms.CharField(
        label=_("Nouveau mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Confirmation du nouveau mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
