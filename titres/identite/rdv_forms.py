"""Forms of the citizen's slot search and booking."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from titres.annuaire.geo import Origin
from titres.annuaire.places import PlaceNotFound, origin_of_place

from . import conf

RADIUS_CHOICES = [(5, "5 km"), (10, "10 km"), (20, "20 km"), (50, "50 km"), (100, "100 km")]


class SlotSearchForm(DsfrBaseForm):
    """Where: a postal code (or "code postal commune"), or the browser's
    coordinates (hidden fields filled by identite/geolocation.js, never
    stored). When, for how many people, how far."""

    lieu = forms.CharField(
        label=_("Code postal ou commune"),
        help_text=_("Par exemple 69001 ou 69001 Lyon"),
        max_length=120,
        required=False,
    )
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    rayon = forms.TypedChoiceField(
        label=_("Distance maximale"), choices=RADIUS_CHOICES, coerce=int, initial=20
    )
    du = forms.DateField(
        label=_("À partir du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    au = forms.DateField(
        label=_("Jusqu’au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    personnes = forms.TypedChoiceField(
        label=_("Nombre de personnes"),
        choices=[(n, str(n)) for n in range(1, 7)],
        coerce=int,
        initial=1,
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        first = data.get("du") or today
        last = data.get("au") or first + datetime.timedelta(days=60)
        if last < first:
            self.add_error("au", _("La date de fin doit être postérieure à la date de début."))
        if (last - first).days > conf.search_max_days():
            self.add_error(
                "au", _("Cherchez sur %(days)s jours au plus.") % {"days": conf.search_max_days()}
            )
        data["du"], data["au"] = max(first, today), last
        lat, lon = data.get("latitude"), data.get("longitude")
        if lat is not None and lon is not None:
            data["origin"] = Origin(lat, lon, str(_("votre position")))
            return data
        place = " ".join((data.get("lieu") or "").split())
        if not place:
            raise ValidationError(
                _("Indiquez un code postal ou une commune, ou utilisez « Autour de moi ».")
            )
        # Placed by the directory's resolver, from the communes' centres.
        try:
            origin = origin_of_place(place)
        except PlaceNotFound as refusal:
            origin = None
            message = refusal.message
            if refusal.candidates:
                message = _(
                    "Plusieurs communes correspondent à « %(place)s » : précisez le code postal "
                    "(%(choices)s)."
                ) % {
                    "place": place[:60],
                    "choices": ", ".join(
                        f"{c.postal_code} {c.name}" for c in refusal.candidates[:5]
                    ),
                }
            self.add_error("lieu", message)
        data["origin"] = origin
        return data


class BookingForm(DsfrBaseForm):
    numeros = forms.CharField(
        label=_("Numéros de pré-demande"),
        help_text=_(
            "Un numéro par personne et par titre, séparés par des espaces ou des virgules "
            "(10 caractères chacun)"
        ),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Pour recevoir la confirmation et le rappel"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    remplacer = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_numeros(self):
        raw = self.cleaned_data["numeros"].replace(",", " ").replace(";", " ").split()
        return raw[:12]
