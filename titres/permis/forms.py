from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .identifiers import cleaned_neph


class LinkRecordForm(DsfrBaseForm):
    neph = forms.CharField(
        label=_("Numéro de dossier (NEPH)"),
        help_text=_("12 chiffres, indiqués à la rubrique 5 de votre permis de conduire."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        help_text=_("Format attendu : JJ/MM/AAAA"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"autocomplete": "bday"}),
    )

    def clean_neph(self):
        return cleaned_neph(self.cleaned_data["neph"])

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value >= timezone.localdate():
            raise forms.ValidationError(_("La date de naissance doit être dans le passé."))
        return value


class PhotographerFilterForm(DsfrBaseForm):
    departement = forms.ChoiceField(label=_("Département"), required=False)

    def __init__(self, *args, departements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", _("Tous les départements"))] + [
            (d.code, f"{d.code} — {d.name}") for d in departements
        ]
