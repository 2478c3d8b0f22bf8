"""The public form of the certificat de situation administrative: the
plate and the card's secret, checked as the buyer's first step checks
them (same selectors, same messages)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from . import situation
from .changement.forms import CI_DATE_HELP, DATE_INPUTS, DATE_WIDGET, FORMULE_HELP, PLATE_HELP
from .selectors import RegistryRefusal, vehicle_of_typed_card


class SituationForm(DsfrBaseForm):
    immatriculation = forms.CharField(
        label=_("Numéro d’immatriculation"),
        help_text=PLATE_HELP,
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    numero_formule = forms.CharField(
        label=_("Numéro de formule"), help_text=FORMULE_HELP, max_length=20, required=False
    )
    date_ci = forms.DateField(
        label=_("Date du CI"),
        help_text=CI_DATE_HELP,
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(**DATE_WIDGET),
    )

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            situation.count_lookup(self.request)
            vehicle = vehicle_of_typed_card(data)
        except RegistryRefusal as refusal:
            self.add_error(refusal.field if refusal.field in self.fields else None, refusal)
            return data
        data["vehicle"] = vehicle
        return data
