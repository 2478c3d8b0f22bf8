import re

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from titres.permis.communes import communes_for_postal_code, search_communes
from titres.permis.normalisation import normalise_commune

from . import geo
from .enums import EntryKind

LEADING_POSTAL_CODE = re.compile(r"^\s*(\d{5})\s*(.*)$")
NO_PLACE = _("Indiquez un code postal ou une commune, ou utilisez « Autour de moi ».")


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
        place = (data.get("lieu") or "").strip()
        insee = data.get("insee") or ""
        match = LEADING_POSTAL_CODE.match(place)
        postal_code, name = (match.group(1), match.group(2).strip()) if match else ("", place)
        if insee:
            communes = [c for c in communes_for_postal_code(postal_code) if c.insee_code == insee]
            if not communes:
                from titres.permis.models import Commune

                communes = list(
                    Commune.objects.filter(insee_code=insee).order_by("postal_code")[:1]
                )
            return self._from_communes(communes, "lieu")
        if postal_code:
            communes = list(communes_for_postal_code(postal_code))
            if not communes:
                self.add_error(
                    "lieu", _("Le code postal %(code)s n’existe pas.") % {"code": postal_code}
                )
                return None
            if name:
                wanted = normalise_commune(name)
                named = [c for c in communes if c.name_normalised == wanted]
                if not named:
                    self.add_error(
                        "lieu",
                        _("La commune « %(name)s » ne correspond pas au code postal %(code)s.")
                        % {"name": name, "code": postal_code},
                    )
                    return None
                communes = named
            return self._from_communes(communes, "lieu", label=postal_code if not name else None)
        if not name:
            self.add_error("lieu", NO_PLACE)
            return None
        found = list(search_communes(name, limit=30))
        wanted = normalise_commune(name)
        exact = [c for c in found if c.name_normalised == wanted]
        candidates = exact or found
        if not candidates:
            self.add_error(
                "lieu", _("Aucune commune ne correspond à « %(name)s ».") % {"name": name}
            )
            return None
        if len({c.insee_code for c in candidates}) > 1:
            self.choices_to_pick = candidates[:15]
            self.add_error(
                "lieu",
                _("Plusieurs communes correspondent à « %(name)s » : choisissez-la dans la liste.")
                % {"name": name},
            )
            return None
        return self._from_communes(candidates, "lieu")

    def _from_communes(self, communes, field, label=None):
        centres = [c for c in (geo.centre_of(c.insee_code) for c in communes) if c]
        if not centres:
            self.add_error(field, _("Nous ne savons pas situer cette commune sur la carte."))
            return None
        lat = sum(c[0] for c in centres) / len(centres)
        lon = sum(c[1] for c in centres) / len(centres)
        first = communes[0]
        return geo.Origin(lat, lon, label or f"{first.postal_code} {first.name}")


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
