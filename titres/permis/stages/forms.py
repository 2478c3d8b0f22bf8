from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from ..request_forms import DATE_FORMATS, PastDateField


def _date_field(label):
    return forms.DateField(
        label=label,
        help_text=_("Format attendu : JJ/MM/AAAA"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "JJ/MM/AAAA"}),
        error_messages={"invalid": _("Saisissez une date réelle au format JJ/MM/AAAA.")},
    )


class SessionForm(DsfrBaseForm):
    starts_on = _date_field(_("Premier jour du stage"))
    ends_on = _date_field(_("Second jour du stage"))
    address = forms.CharField(label=_("Adresse du lieu du stage"), max_length=200)
    postal_code = forms.CharField(
        label=_("Code postal"),
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    commune = forms.CharField(label=_("Commune"), max_length=100)
    facilitators = forms.CharField(
        label=_("Animateurs"),
        help_text=_("Le formateur BAFM et le psychologue, séparés par des virgules"),
        max_length=300,
    )

    def clean_postal_code(self):
        code = "".join(self.cleaned_data["postal_code"].split())
        if not (len(code) == 5 and code.isdigit()):
            raise ValidationError(_("Le code postal comporte 5 chiffres."))
        return code


class AttendeeForm(DsfrBaseForm):
    neph = forms.CharField(
        label=_("Numéro de dossier (NEPH)"),
        help_text=_("12 chiffres, rubrique 5 du permis"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_name = forms.CharField(label=_("Nom de naissance"), max_length=100)
    first_names = forms.CharField(label=_("Prénoms"), max_length=200)
    birth_date = PastDateField(
        label=_("Date de naissance"),
        help_text=_("Format attendu : JJ/MM/AAAA"),
        future_message=_("La date de naissance doit être une date passée."),
    )
    email = forms.EmailField(
        label=_("Adresse électronique du stagiaire"),
        help_text=_("L’attestation de stage y est envoyée"),
    )
