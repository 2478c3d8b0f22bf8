import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .enums import STAMP_AMOUNTS_CENTS, StampPurpose
from .models import format_amount
from .numbers import clean_card_number, clean_stamp_number


def purpose_choices():
    return [
        (purpose.value, f"{purpose.label} — {format_amount(STAMP_AMOUNTS_CENTS[purpose])}")
        for purpose in StampPurpose
    ]


class PurchaseForm(DsfrBaseForm):
    motif = forms.ChoiceField(
        label=_("Motif du timbre"),
        choices=purpose_choices,
        widget=forms.RadioSelect,
        help_text=_("Le montant est fixé par la loi ; un seul timbre par achat."),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail à laquelle envoyer le timbre"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Format attendu : nom@domaine.fr"),
    )
    # One key per form rendering: a double click or a resubmission reuses it.
    cle = forms.CharField(widget=forms.HiddenInput, max_length=80)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("cle", uuid.uuid4().hex)


class StampNumberForm(DsfrBaseForm):
    numero = forms.CharField(
        label=_("Numéro du timbre"),
        help_text=_("16 chiffres, tels qu’indiqués sur votre timbre"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_numero(self):
        return clean_stamp_number(self.cleaned_data["numero"])


class RefundForm(StampNumberForm):
    email = forms.EmailField(
        label=_("Adresse e-mail à laquelle le timbre a été envoyé"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


MONTHS = [
    _("janvier"),
    _("février"),
    _("mars"),
    _("avril"),
    _("mai"),
    _("juin"),
    _("juillet"),
    _("août"),
    _("septembre"),
    _("octobre"),
    _("novembre"),
    _("décembre"),
]


class CardForm(DsfrBaseForm):
    numero_carte = forms.CharField(
        label=_("Numéro de carte"),
        help_text=_("16 chiffres, sans espace ou avec des espaces"),
        max_length=23,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "cc-number"}),
    )
    mois = forms.TypedChoiceField(
        label=_("Expire fin : mois"),
        coerce=int,
        choices=[(i + 1, f"{i + 1:02d} - {month}") for i, month in enumerate(MONTHS)],
        widget=forms.Select(attrs={"autocomplete": "cc-exp-month"}),
    )
    annee = forms.TypedChoiceField(
        label=_("Expire fin : année"),
        coerce=int,
        choices=[],
        widget=forms.Select(attrs={"autocomplete": "cc-exp-year"}),
    )
    cvv = forms.CharField(
        label=_("Numéro de contrôle au dos de la carte"),
        help_text=_("Les 3 derniers chiffres au dos de votre carte"),
        min_length=3,
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "cc-csc"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["annee"].choices = [(y, str(y)) for y in range(year, year + 11)]

    def clean_numero_carte(self):
        return clean_card_number(self.cleaned_data["numero_carte"])

    def clean_cvv(self):
        value = self.cleaned_data["cvv"]
        if not value.isdigit():
            raise ValidationError(_("Le numéro de contrôle comporte 3 chiffres."))
        return value

    def clean(self):
        data = super().clean()
        month, year = data.get("mois"), data.get("annee")
        if month and year:
            today = timezone.localdate()
            if (year, month) < (today.year, today.month):
                self.add_error("mois", _("Cette carte est expirée."))
        return data


class ChallengeForm(DsfrBaseForm):
    code = forms.CharField(
        label=_("Code de confirmation"),
        help_text=_("Le code à 6 chiffres envoyé par votre banque"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
