"""Forms of the professional's stock: the déclaration d'achat, the stock
list's filters, and the resale (the seller's cession form without the
vehicle's identification: the vehicle is the stock's)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from titres.permis.communes import validate_postal_code_commune
from titres.procedures.validation import ACCEPTED_FORMATS, UploadRejected

from ..cession_forms import CessionForm
from ..changement.forms import CI_DATE_HELP, FORMULE_HELP, PLATE_HELP, _date_field
from ..selectors import RegistryRefusal, count_lookup, vehicle_of_typed_card
from .listing import _date
from .models import PurchaseProof
from .purchase_scan import CERTIFICATE_RULE, check_certificate_scan


def _certificate_field(*, required: bool):
    return forms.FileField(
        label=CERTIFICATE_RULE.label,
        required=required,
        widget=forms.FileInput(
            attrs={"class": "fr-upload", "accept": ".jpg,.jpeg,.png,.bmp,.tif,.tiff,.pdf"}
        ),
    )


def _checked_scan(upload):
    """The scan checked as a supporting document (type, size, pixels,
    pages, antivirus), or the ValidationError the field shows."""
    if not upload:
        return None
    try:
        return check_certificate_scan(upload)
    except UploadRejected as error:
        raise ValidationError(error.message) from None


class PurchaseForm(DsfrBaseForm):
    """Déclaration d'achat (cerfa 13751): the vehicle and its card as the
    seller handed it over, the seller as on the card, the purchase, and
    the proof of the sale."""

    immatriculation = forms.CharField(
        label=_("Numéro d’immatriculation"),
        help_text=PLATE_HELP,
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    numero_formule = forms.CharField(
        label=_("Numéro de formule"), help_text=FORMULE_HELP, max_length=20, required=False
    )
    date_ci = _date_field(_("Date du CI"), required=False, help_text=CI_DATE_HELP)
    vendeur_nom = forms.CharField(
        label=_("Nom du vendeur (titulaire du véhicule)"),
        help_text=_("Tel qu’il figure sur la carte grise"),
        max_length=100,
    )
    vendeur_prenoms = forms.CharField(label=_("Prénoms du vendeur"), max_length=200)
    date_achat = _date_field(_("Date de l’achat"), help_text=_("Format attendu : JJ/MM/AAAA"))
    heure_achat = forms.TimeField(
        label=_("Heure de l’achat"),
        help_text=_("Format attendu : HH:MM"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "HH:MM"}),
    )
    kilometrage = forms.IntegerField(
        label=_("Kilométrage inscrit au compteur"), min_value=0, max_value=2_000_000
    )
    justificatif = forms.ChoiceField(
        label=_("Justificatif de la vente"),
        choices=PurchaseProof.choices,
        widget=forms.RadioSelect,
    )
    code_cession = forms.CharField(
        label=_("Code de cession"),
        help_text=_("Si le vendeur a déclaré la cession en ligne : 9 caractères (ABCD-EFGH-J)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    certificat_barre = _certificate_field(required=False)
    adresse = forms.CharField(
        label=_("Adresse de votre établissement (numéro et voie)"),
        help_text=_("Elle figurera sur le certificat de cession de la revente"),
        max_length=120,
    )
    code_postal = forms.CharField(
        label=_("Code postal"), max_length=5, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    commune = forms.CharField(label=_("Commune"), max_length=100)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["certificat_barre"].help_text = _(
            "%(help)s Obligatoire avec le justificatif « certificat barré ». Formats : "
            "%(formats)s ; %(pages)s."
        ) % {
            "help": CERTIFICATE_RULE.help_text,
            "formats": ACCEPTED_FORMATS,
            "pages": CERTIFICATE_RULE.pages_hint,
        }
        # Bound fields copy the help text when created (DsfrBaseForm creates them).
        self._bound_fields_cache.clear()

    def clean_certificat_barre(self):
        return _checked_scan(self.cleaned_data.get("certificat_barre"))

    def clean(self):
        data = super().clean()
        if (
            data.get("justificatif") == PurchaseProof.CERTIFICAT
            and not data.get("certificat_barre")
            and "certificat_barre" not in self.errors
        ):
            self.add_error(
                "certificat_barre",
                _(
                    "Déposez le scan du certificat d’immatriculation barré et signé par le "
                    "vendeur (mention « vendu le … à … »)."
                ),
            )
        if data.get("code_postal") and data.get("commune"):
            try:
                data["commune"] = validate_postal_code_commune(
                    data["code_postal"], data["commune"]
                ).name
            except ValidationError as error:
                self.add_error("commune", error)
        if data.get("date_achat") and data.get("heure_achat"):
            data["purchased_at"] = timezone.make_aware(
                datetime.combine(data["date_achat"], data["heure_achat"])
            )
        if data.get("justificatif") == PurchaseProof.CODE and not data.get("code_cession"):
            self.add_error("code_cession", _("Indiquez le code de cession remis par le vendeur."))
        if self.errors or not data.get("immatriculation"):
            return data
        try:
            count_lookup(self.user)
            vehicle = vehicle_of_typed_card(data)
        except RegistryRefusal as refusal:
            self.add_error(refusal.field if refusal.field in self.fields else None, refusal)
            return data
        data["vehicle"] = vehicle
        return data


class CertificateScanForm(DsfrBaseForm):
    """The barred certificate's scan of a purchase declared without it,
    checked exactly as on the déclaration d'achat."""

    certificat_barre = _certificate_field(required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificat_barre"].error_messages["required"] = _(
            "Déposez le scan du certificat d’immatriculation barré et signé par le vendeur "
            "(mention « vendu le … à … »)."
        )
        self.fields["certificat_barre"].help_text = _(
            "%(help)s Formats : %(formats)s ; %(pages)s."
        ) % {
            "help": CERTIFICATE_RULE.help_text,
            "formats": ACCEPTED_FORMATS,
            "pages": CERTIFICATE_RULE.pages_hint,
        }
        self._bound_fields_cache.clear()

    def clean_certificat_barre(self):
        return _checked_scan(self.cleaned_data.get("certificat_barre"))


class StockFilterForm(DsfrBaseForm):
    plaque = forms.CharField(label=_("Immatriculation"), max_length=20, required=False)
    du = _date(_("Acheté du"))
    au = _date(_("au"))

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["du"] > data["au"]:
            self.add_error("au", _("La date de fin doit être postérieure à la date de début."))
        return data


class ResaleForm(CessionForm):
    """The buyer and the sale, as on the seller's screen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (
            "immatriculation",
            "numero_formule",
            "date_ci",
            "client_nom",
            "client_prenoms",
        ):
            self.fields.pop(name, None)
        self._bound_fields_cache.clear()
