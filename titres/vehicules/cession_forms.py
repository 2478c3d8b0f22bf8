"""The seller's declaration of sale form (cerfa 15776 content)."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from titres.permis.communes import validate_postal_code_commune

from .changement.forms import CI_DATE_HELP, FORMULE_HELP, PLATE_HELP, _date_field
from .enums import PersonKind
from .identifiers import clean_siret
from .selectors import RegistryRefusal, count_lookup, vehicle_of_typed_card
from .services.cession import Buyer


class BuyerForm(DsfrBaseForm):
    """The buyer of a sale (a person, or a company with its SIRET) and their
    address, checked as the seller's screen checks them: the SIRET's key
    (`clean_siret`, stdnum), the postal code ↔ commune. The batch's cession
    lines go through this form too (professionnels/batch.py)."""

    acquereur = forms.ChoiceField(
        label=_("L’acquéreur est"),
        choices=[
            (PersonKind.PHYSIQUE, _("Une personne physique")),
            (PersonKind.MORALE, _("Une société (numéro SIRET)")),
        ],
        widget=forms.RadioSelect,
    )
    nom = forms.CharField(
        label=_("Nom de naissance de l’acquéreur"), max_length=100, required=False
    )
    prenoms = forms.CharField(label=_("Prénoms de l’acquéreur"), max_length=200, required=False)
    date_naissance = _date_field(_("Date de naissance de l’acquéreur"), required=False)
    raison_sociale = forms.CharField(label=_("Raison sociale"), max_length=200, required=False)
    siret = forms.CharField(
        label=_("Numéro SIRET"),
        help_text=_("14 chiffres"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    adresse = forms.CharField(label=_("Adresse de l’acquéreur (numéro et voie)"), max_length=120)
    code_postal = forms.CharField(
        label=_("Code postal"), max_length=5, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    commune = forms.CharField(label=_("Commune"), max_length=100)
    email_acquereur = forms.EmailField(
        label=_("Adresse électronique de l’acquéreur"),
        help_text=_("Facultatif"),
        required=False,
    )

    def clean_siret(self):
        return clean_siret(self.cleaned_data.get("siret"))

    def clean(self):
        data = super().clean()
        if data.get("acquereur") == PersonKind.MORALE:
            if not data.get("raison_sociale"):
                self.add_error("raison_sociale", _("Indiquez la raison sociale de la société."))
            if not data.get("siret") and "siret" not in self.errors:
                self.add_error("siret", _("Indiquez le numéro SIRET de la société."))
        elif data.get("acquereur"):
            if not data.get("nom"):
                self.add_error("nom", _("Indiquez le nom de l’acquéreur."))
            if not data.get("prenoms"):
                self.add_error("prenoms", _("Indiquez les prénoms de l’acquéreur."))
        if data.get("code_postal") and data.get("commune"):
            try:
                data["commune"] = validate_postal_code_commune(
                    data["code_postal"], data["commune"]
                ).name
            except ValidationError as error:
                self.add_error("commune", error)
        return data

    def buyer(self) -> Buyer:
        """The buyer as the cession service takes it, from a valid form (a
        company's fields or a person's, never a mix of both)."""
        data = self.cleaned_data
        company = data["acquereur"] == PersonKind.MORALE
        return Buyer(
            kind=data["acquereur"],
            last_name="" if company else data["nom"],
            first_names="" if company else data["prenoms"],
            birth_date=None if company else data.get("date_naissance"),
            company_name=data["raison_sociale"] if company else "",
            siret=data["siret"] if company else "",
            address=data["adresse"],
            postal_code=data["code_postal"],
            commune=data["commune"],
            email=data.get("email_acquereur") or "",
        )


class CessionForm(BuyerForm):
    """The seller's screen: the vehicle and its card, the sale, the buyer
    (`BuyerForm`); a professional adds the client they act for."""

    field_order = [
        "immatriculation",
        "numero_formule",
        "date_ci",
        "date_cession",
        "heure_cession",
        "kilometrage",
        *BuyerForm.base_fields,
    ]

    def __init__(self, *args, user, **kwargs):
        from .professionnels.access import is_habilitated

        self.user = user
        super().__init__(*args, **kwargs)
        self.for_client = is_habilitated(user)
        if self.for_client:
            # A professional declares for a client under mandate: the client
            # must be the holder in the registry (declare_cession checks).
            self.fields["client_nom"] = forms.CharField(
                label=_("Nom du client (titulaire du véhicule)"),
                help_text=_("Tel qu’il figure sur la carte grise et sur le mandat"),
                max_length=100,
            )
            self.fields["client_prenoms"] = forms.CharField(
                label=_("Prénoms du client"), max_length=200
            )
            self.order_fields(["client_nom", "client_prenoms"])
            # Bound fields were cached by DsfrBaseForm.__init__ before these
            # fields existed.
            self._bound_fields_cache.clear()
            for visible in self.visible_fields():
                dsfr_input_class_attr(visible)

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
    date_cession = _date_field(_("Date de la cession"))
    heure_cession = forms.TimeField(
        label=_("Heure de la cession"),
        help_text=_("Format attendu : HH:MM"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "HH:MM"}),
    )
    kilometrage = forms.IntegerField(
        label=_("Kilométrage inscrit au compteur"), min_value=0, max_value=2_000_000
    )

    def clean(self):
        data = super().clean()
        if data.get("date_cession") and data.get("heure_cession"):
            data["sold_at"] = timezone.make_aware(
                datetime.combine(data["date_cession"], data["heure_cession"])
            )
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
