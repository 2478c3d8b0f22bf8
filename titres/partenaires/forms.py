"""The partner's own forms (dashboard)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from titres.accounts.validators import normalise_phone

from .models import Partner


class ContactsForm(DsfrBaseForm, forms.ModelForm):
    """Seed 004 §4: e-mail and phone of a technical contact (technical
    questions) and of a business contact (newsletter of the service)."""

    class Meta:
        model = Partner
        fields = ["technical_email", "technical_phone", "business_email", "business_phone"]
        help_texts = {
            "technical_email": _("Point d’entrée pour toute question technique."),
            "business_email": _("Reçoit la lettre d’information du service."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # blank=True on the model only so that termination can erase them:
        # an active partner must keep both contacts.
        for field in self.fields.values():
            field.required = True

    def clean_technical_phone(self):
        return normalise_phone(self.cleaned_data["technical_phone"])

    def clean_business_phone(self):
        return normalise_phone(self.cleaned_data["business_phone"])
