from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from . import geo
from .enums import EntryKind
from .places import PlaceNotFound, origin_of_place


class DirectorySearchForm(DsfrBaseForm):
    """Where (a postal code, a commune, or the browser's position — hidden
    fields filled by annuaire/annuaire.js, never stored) and which kinds."""

    lieu = forms.CharField(
        label=_("Code postal ou commune"),
        help_text=_("Par exemple 08000, Charleville-Mézières ou 08000 Charleville-Mézières"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "annuaire-communes"}),
    )
    insee = forms.RegexField(regex=r"^[0-9AB]{5}$", required=False, widget=forms.HiddenInput)
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    types = forms.MultipleChoiceField(
        label=_("Types de lieux"),
        help_text=_("Aucun coché : tous les types"),
        choices=EntryKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=1000, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices_to_pick = []

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["origin"] = self._origin(data)
        return data

    def _origin(self, data):
        lat, lon = data.get("latitude"), data.get("longitude")
        if lat is not None and lon is not None:
            # Rounded to about a kilometre: enough to sort by distance.
            return geo.Origin(round(lat, 2), round(lon, 2), str(_("votre position")))
        try:
            return origin_of_place(data.get("lieu") or "", data.get("insee") or "")
        except PlaceNotFound as refusal:
            self.choices_to_pick = refusal.candidates
            self.add_error("lieu", refusal.message)
            return None


class EPhotoCheckForm(DsfrBaseForm):
    code = forms.CharField(
        label=_("Code photo numérique"),
        help_text=_("22 caractères, chiffres et lettres, remis par le photographe ou la cabine"),
        max_length=40,
        error_messages={"required": _("Saisissez votre code photo numérique.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
