"""Forms of the address change and the duplicate. Each takes the démarche
(`demarche=`), like the change of holder's, and accepts its own
serialised output (the engine re-binds the stored answers at the final
validation and the registry checks run again then)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from titres.permis.communes import validate_postal_code_commune

from ..changement.forms import (
    CI_DATE_HELP,
    DATE_INPUTS,
    DATE_WIDGET,
    FORMULE_HELP,
    PLATE_HELP,
    CompanyClientFields,
)
from ..enums import DUPLICATE_BLOCKING_SITUATIONS, DuplicateReason, SituationKind
from ..selectors import (
    RegistryRefusal,
    check_typed_card,
    count_lookup,
    find_vehicle,
    holder_matching,
)
from . import state

POLICE_REPORT = re.compile(r"^[A-Za-z0-9/\-. ]{4,30}$")
POLICE_REPORT_MISSING = _(
    "Indiquez le numéro du récépissé de dépôt de plainte : il est obligatoire pour un "
    "duplicata après un vol."
)


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label, input_formats=DATE_INPUTS, widget=forms.DateInput(**DATE_WIDGET), **kwargs
    )


def _demarche(kwargs):
    demarche = kwargs.pop("demarche", None)
    if demarche is None:
        raise TypeError("these forms need demarche=")
    return demarche


DUPLICATE_REFUSALS = {
    SituationKind.VOL: _(
        "Ce véhicule est déclaré volé : aucun duplicata de son certificat d’immatriculation ne "
        "peut être délivré. S’il a été retrouvé, signalez-le au service de police ou de "
        "gendarmerie qui a reçu la plainte."
    ),
    SituationKind.SUSPENSION: _(
        "Le certificat d’immatriculation de ce véhicule est suspendu : aucun duplicata ne peut "
        "être délivré. Le titulaire doit s’adresser à la préfecture."
    ),
    SituationKind.ANNULEE: _(
        "L’immatriculation de ce véhicule a été annulée : aucun duplicata ne peut être délivré."
    ),
}


class StartForm(CompanyClientFields, DsfrBaseForm):
    """Step 1: for whom (a professional: the client under mandate, a person
    or a company), which
    vehicle, and the proof of holding it — the card's secret for an
    address change (`card = True`); the identity alone for a duplicate,
    whose card is lost, stolen or damaged."""

    card = True
    what = ""

    pour_qui = forms.ChoiceField(
        label=_("Je fais la démarche"),
        choices=[(state.POUR_MOI, _("Pour moi-même, titulaire du certificat"))],
        widget=forms.RadioSelect,
        initial=state.POUR_MOI,
    )
    titulaire_nom = forms.CharField(
        label=_("Nom de naissance du client"),
        help_text=_("Tel qu’il figure sur la pièce d’identité du client et sur le mandat"),
        max_length=100,
    )
    titulaire_prenoms = forms.CharField(label=_("Prénoms du client"), max_length=200)
    titulaire_date_naissance = _date_field(_("Date de naissance du client"))
    titulaire_email = forms.EmailField(
        label=_("Adresse e-mail du client"),
        help_text=_("Le client reçoit par e-mail le numéro de la démarche"),
        max_length=254,
        required=False,
    )
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

    def __init__(self, *args, **kwargs):
        self.demarche = _demarche(kwargs)
        super().__init__(*args, **kwargs)
        self.revalidating = self.data == state.start_answers(self.demarche)
        from ..professionnels.access import is_habilitated

        self.professional = is_habilitated(self.demarche.owner)
        if self.professional:
            self.fields["pour_qui"].choices = [
                (state.POUR_MANDAT, _("Pour un client, sous mandat (cerfa n° 13757)"))
            ]
            self.fields["pour_qui"].initial = state.POUR_MANDAT
            self._add_company_client_fields()
            company = self.data.get(self.add_prefix("titulaire_type")) == state.CLIENT_COMPANY
            for name, message in (
                ("titulaire_nom", _("Indiquez le nom de naissance du client.")),
                ("titulaire_prenoms", _("Indiquez les prénoms du client.")),
                ("titulaire_date_naissance", _("Indiquez la date de naissance du client.")),
            ):
                # A company client has no birth name: its own fields are
                # checked in clean() (CompanyClientFields).
                self.fields[name].required = not company
                self.fields[name].error_messages["required"] = message
        else:
            for name in (
                "titulaire_nom",
                "titulaire_prenoms",
                "titulaire_date_naissance",
                "titulaire_email",
            ):
                del self.fields[name]
        if not self.card:
            del self.fields["numero_formule"]
            del self.fields["date_ci"]
        self._bound_fields_cache.clear()

    def check_vehicle(self, vehicle, data) -> None:
        """Refusals of the procedure beyond the holder check (subclasses)."""

    def clean(self):
        data = super().clean()
        company = self.professional and self._clean_company_client(data)
        if self.errors:
            return data
        try:
            if self.is_bound and not self.revalidating:
                count_lookup(self.demarche.owner)
            vehicle = find_vehicle(data["immatriculation"])
            if self.card:
                check_typed_card(
                    vehicle,
                    formule_number=data.get("numero_formule") or "",
                    ci_date=data.get("date_ci"),
                )
            if company:
                # A company is the registry's holder by its SIRET.
                holder = holder_matching(
                    vehicle, last_name="", first_names="", siret=data["titulaire_siret"]
                )
                if holder is None:
                    raise RegistryRefusal(
                        _(
                            "La société cliente n’apparaît pas comme titulaire ou cotitulaire "
                            "de ce véhicule : indiquez le numéro SIRET inscrit sur la carte "
                            "grise (le mandant doit en être le titulaire)."
                        ),
                        code="not_holder",
                        field="immatriculation",
                    )
            else:
                last_name, first_names, birth_date = state.holder_identity(self.demarche, data)
                holder = holder_matching(vehicle, last_name=last_name, first_names=first_names)
                if holder is not None and birth_date and holder.birth_date:
                    holder = holder if holder.birth_date == birth_date else None
            if holder is None:
                raise RegistryRefusal(
                    (
                        _(
                            "Votre client n’apparaît pas comme titulaire ou cotitulaire de ce "
                            "véhicule : indiquez le nom, les prénoms et la date de naissance "
                            "inscrits sur la carte grise (le mandant doit en être le titulaire)."
                        )
                        if self.professional
                        else _(
                            "Vous n’apparaissez pas comme titulaire ou cotitulaire de ce "
                            "véhicule : seule une personne inscrite sur la carte grise peut "
                            "faire cette démarche."
                        )
                    ),
                    code="not_holder",
                    field="immatriculation",
                )
            self.check_vehicle(vehicle, data)
        except RegistryRefusal as refusal:
            self.add_error(refusal.field if refusal.field in self.fields else None, refusal)
            return data
        data["vehicule"] = vehicle.pk
        return data


class AdresseStartForm(StartForm):
    card = True


class DuplicataStartForm(StartForm):
    card = False

    motif = forms.ChoiceField(
        label=_("Motif de la demande"),
        choices=DuplicateReason.choices,
        widget=forms.RadioSelect,
    )
    numero_plainte = forms.CharField(
        label=_("Numéro du récépissé de dépôt de plainte"),
        help_text=_(
            "En cas de vol : le numéro inscrit sur le récépissé remis par le commissariat ou la "
            "brigade de gendarmerie (ou de la pré-plainte en ligne)"
        ),
        max_length=30,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        motif = (self.data or self.initial or {}).get("motif")
        self.fields["numero_plainte"].required = motif == DuplicateReason.VOL
        self.fields["numero_plainte"].error_messages["required"] = POLICE_REPORT_MISSING
        self._bound_fields_cache.clear()

    def clean_numero_plainte(self):
        value = " ".join((self.cleaned_data.get("numero_plainte") or "").split())
        if value and not POLICE_REPORT.match(value):
            raise ValidationError(
                _(
                    "Le numéro du récépissé de plainte comporte de 4 à 30 lettres, chiffres, "
                    "espaces, « / », « - » ou « . »."
                ),
                code="police_report_format",
            )
        return value

    def clean(self):
        data = super().clean()
        if (
            data.get("motif") == DuplicateReason.VOL
            and not data.get("numero_plainte")
            and "numero_plainte" not in self.errors
        ):
            self.add_error("numero_plainte", POLICE_REPORT_MISSING)
        if data.get("motif") != DuplicateReason.VOL:
            data["numero_plainte"] = ""
        return data

    def check_vehicle(self, vehicle, data) -> None:
        for situation in vehicle.active_situations():
            if situation.kind in DUPLICATE_BLOCKING_SITUATIONS:
                raise RegistryRefusal(
                    DUPLICATE_REFUSALS[situation.kind], code=f"situation_{situation.kind}"
                )


class NouvelleAdresseForm(DsfrBaseForm):
    """Step 2 of the address change: the new address of the holders."""

    adresse = forms.CharField(
        label=_("Numéro et nom de la voie"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    complement = forms.CharField(label=_("Complément d’adresse"), max_length=70, required=False)
    code_postal = forms.CharField(
        label=_("Code postal"),
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    commune = forms.CharField(
        label=_("Commune"),
        max_length=100,
        help_text=_("La commune doit correspondre au code postal"),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    date_demenagement = _date_field(
        _("Date du déménagement"),
        help_text=_("Le changement doit être déclaré dans le mois qui suit. Format : JJ/MM/AAAA"),
    )

    def __init__(self, *args, **kwargs):
        self.demarche = _demarche(kwargs)
        super().__init__(*args, **kwargs)

    def clean_date_demenagement(self):
        value = self.cleaned_data["date_demenagement"]
        if value and value > timezone.localdate():
            raise ValidationError(
                _("La date du déménagement ne peut pas être dans le futur."), code="future"
            )
        return value

    def clean(self):
        data = super().clean()
        if "code_postal" in data and "commune" in data:
            try:
                commune = validate_postal_code_commune(data["code_postal"], data["commune"])
            except ValidationError as error:
                self.add_error(
                    "commune" if error.code == "postal_code_commune_mismatch" else "code_postal",
                    error,
                )
                return data
            data["commune"] = commune.name
        vehicle = state.vehicle_of(self.demarche)
        titulaire = vehicle.titulaire if vehicle else None
        if titulaire is not None and data.get("adresse"):
            same = (
                full_address(data).casefold() == titulaire.address.casefold()
                and data["code_postal"] == titulaire.postal_code
            )
            if same:
                self.add_error(
                    "adresse",
                    _("Cette adresse est déjà celle inscrite sur la carte grise du véhicule."),
                )
        return data


def full_address(answers: dict) -> str:
    return " ".join(p for p in (answers.get("adresse", ""), answers.get("complement", "")) if p)


class DuplicataRecapForm(DsfrBaseForm):
    """The legal conditions of a duplicate, each to tick."""

    exactitude = forms.BooleanField(
        label=_(
            "Je certifie sur l’honneur l’exactitude des informations transmises et la perte, le "
            "vol ou la détérioration du certificat d’immatriculation de ce véhicule."
        )
    )
    annulation = forms.BooleanField(
        label=_(
            "J’ai pris connaissance que le certificat actuel sera annulé : s’il est retrouvé, il "
            "ne pourra plus être utilisé et devra être détruit."
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


class PaiementForm(DsfrBaseForm):
    """No field: « Valider » starts the card payment (vehicules:payer)."""

    def __init__(self, *args, **kwargs):
        self.demarche = _demarche(kwargs)
        super().__init__(*args, **kwargs)
