"""Forms of the new vehicle's registration. Each takes the démarche
(`demarche=`) like the other vehicle procedures' and accepts its own
serialised output (the engine re-binds the stored answers at the final
validation: the registry check of the VIN runs again then)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from titres.permis.address import PostalAddressMixin, commune_field, postal_code_field

from ..certificat.forms import PaiementForm
from ..changement.forms import DATE_INPUTS, DATE_WIDGET
from ..enums import Category, Energy
from ..identifiers import clean_siret, normalise_vin, validate_vin
from ..models import Vehicle
from . import state

VIN_REGISTERED = _(
    "Ce numéro VIN est déjà inscrit au système d’immatriculation des véhicules : un véhicule "
    "neuf ne peut être immatriculé qu’une fois. Pour un véhicule d’occasion, faites une "
    "demande de changement de titulaire."
)
BIRTH_DATE_FUTURE = _("La date de naissance ne peut pas être dans le futur.")
__all__ = ["ClientForm", "ConformityForm", "PaiementForm", "RecapForm"]


def _demarche(kwargs):
    demarche = kwargs.pop("demarche", None)
    if demarche is None:
        raise TypeError("these forms need demarche=")
    return demarche


class ConformityForm(DsfrBaseForm):
    """The certificate of conformity (COC) of the new vehicle, as printed
    (its fields carry the registration certificate's letters)."""

    vin = forms.CharField(
        label=_("Numéro d’identification du véhicule (VIN, champ E)"),
        help_text=_("17 lettres et chiffres, sans I, O ni Q"),
        max_length=25,
    )
    type_variante = forms.CharField(label=_("Type, variante, version (champ D.2)"), max_length=40)
    marque = forms.CharField(label=_("Marque (champ D.1)"), max_length=40)
    denomination = forms.CharField(label=_("Dénomination commerciale (champ D.3)"), max_length=60)
    # The options read "CTTE — camionnette": the code is what the dealer
    # finds printed on the certificate, so it is shown on purpose
    # (data-raw-ok tells the e2e page check so).
    genre = forms.ChoiceField(
        label=_("Genre national (champ J.1)"),
        choices=Category.choices,
        initial=Category.VP,
        widget=forms.Select(attrs={"data-raw-ok": ""}),
    )
    energie = forms.ChoiceField(
        label=_("Énergie (champ P.3)"),
        choices=Energy.choices,
        widget=forms.Select(attrs={"data-raw-ok": ""}),
    )
    puissance_fiscale = forms.IntegerField(
        label=_("Puissance administrative en CV (champ P.6)"), min_value=1, max_value=99
    )
    co2 = forms.IntegerField(
        label=_("Émissions de CO2 en g/km, WLTP (champ V.7)"),
        help_text=_("0 pour un véhicule électrique"),
        min_value=0,
        max_value=999,
    )
    masse_ordre_marche = forms.IntegerField(
        label=_("Masse en ordre de marche en kg (champ G.1)"), min_value=50, max_value=60_000
    )
    ptac = forms.IntegerField(
        label=_("Masse en charge maximale admissible en kg (PTAC, champ F.2)"),
        min_value=50,
        max_value=60_000,
    )
    places = forms.IntegerField(
        label=_("Nombre de places assises (champ S.1)"), min_value=1, max_value=99
    )

    def __init__(self, *args, **kwargs):
        self.demarche = _demarche(kwargs)
        super().__init__(*args, **kwargs)

    def clean_vin(self):
        vin = normalise_vin(self.cleaned_data["vin"])
        validate_vin(vin)
        if Vehicle.vin_registered(vin):
            raise ValidationError(VIN_REGISTERED, code="vin_registered")
        return vin

    def clean_type_variante(self):
        return self.cleaned_data["type_variante"].strip().upper()

    def clean_marque(self):
        return self.cleaned_data["marque"].strip().upper()

    def clean(self):
        data = super().clean()
        mass, ptac = data.get("masse_ordre_marche"), data.get("ptac")
        if mass and ptac and mass > ptac:
            self.add_error(
                "ptac",
                _(
                    "La masse en charge maximale admissible ne peut pas être inférieure à la masse "
                    "en ordre de marche."
                ),
            )
        return data


class ClientForm(PostalAddressMixin, DsfrBaseForm):
    """The client the vehicle is registered for (titulaire, C.1): a person
    or a company (raison sociale and SIRET), and their address (the region
    of the regional tax)."""

    kind = forms.ChoiceField(
        label=_("Le client est"),
        choices=[
            (state.CLIENT_PERSON, _("Une personne physique")),
            (state.CLIENT_COMPANY, _("Une société (numéro SIRET)")),
        ],
        widget=forms.RadioSelect,
        initial=state.CLIENT_PERSON,
    )
    nom = forms.CharField(label=_("Nom de naissance du client"), max_length=100, required=False)
    prenoms = forms.CharField(label=_("Prénoms du client"), max_length=200, required=False)
    date_naissance = forms.DateField(
        label=_("Date de naissance du client"),
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(**DATE_WIDGET),
        required=False,
    )
    raison_sociale = forms.CharField(label=_("Raison sociale"), max_length=200, required=False)
    siret = forms.CharField(
        label=_("Numéro SIRET"),
        help_text=_("14 chiffres"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    adresse = forms.CharField(label=_("Adresse (numéro et voie)"), max_length=120)
    complement = forms.CharField(
        label=_("Complément d’adresse"), help_text=_("Facultatif"), max_length=120, required=False
    )
    code_postal = postal_code_field()
    commune = commune_field()
    email = forms.EmailField(
        label=_("Adresse électronique du client"),
        help_text=_("Facultatif : le client est prévenu de l’immatriculation à son nom"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        self.demarche = _demarche(kwargs)
        super().__init__(*args, **kwargs)

    def clean_siret(self):
        return clean_siret(self.cleaned_data.get("siret"))

    def clean_date_naissance(self):
        born = self.cleaned_data.get("date_naissance")
        if born and born > timezone.localdate():
            raise ValidationError(BIRTH_DATE_FUTURE, code="birth_future")
        return born

    def clean(self):
        data = super().clean()
        if data.get("kind") == state.CLIENT_COMPANY:
            if not data.get("raison_sociale"):
                self.add_error("raison_sociale", _("Indiquez la raison sociale de la société."))
            if not data.get("siret") and "siret" not in self.errors:
                self.add_error("siret", _("Indiquez le numéro SIRET de la société."))
            for name in ("nom", "prenoms", "date_naissance"):
                data[name] = None if name == "date_naissance" else ""
        elif data.get("kind"):
            if not data.get("nom"):
                self.add_error("nom", _("Indiquez le nom du client."))
            if not data.get("prenoms"):
                self.add_error("prenoms", _("Indiquez les prénoms du client."))
            if not data.get("date_naissance") and "date_naissance" not in self.errors:
                self.add_error("date_naissance", _("Indiquez la date de naissance du client."))
            data["raison_sociale"] = data["siret"] = ""
        return data


class RecapForm(DsfrBaseForm):
    """The dealer's attestations before the taxes are paid."""

    exactitude = forms.BooleanField(
        label=_(
            "Je certifie que les informations saisies sont conformes au certificat de "
            "conformité du véhicule et aux pièces remises par mon client."
        )
    )
    sanctions = forms.BooleanField(
        label=_(
            "J’ai pris connaissance que toute fausse déclaration est passible des peines prévues "
            "aux articles 441-1 et 441-6 du code pénal (faux et usage de faux, fausse "
            "déclaration)."
        )
    )

    def __init__(self, *args, **kwargs):
        self.demarche = _demarche(kwargs)
        super().__init__(*args, **kwargs)
