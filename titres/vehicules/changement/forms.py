"""Forms of "J'achète ou je reçois un véhicule d'occasion" (seed 003), one
per step. Each takes the démarche (`demarche=`): the registry checks need
the filer's FranceConnect identity and the answers of earlier steps. The
engine re-binds every form to its stored JSON at the final validation, so
each accepts its own serialised output (ISO dates) and re-runs its
registry checks then."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from titres.permis.address import PostalAddressMixin, commune_field, postal_code_field

from ..identifiers import clean_siret
from ..selectors import (
    RegistryRefusal,
    check_typed_card,
    count_lookup,
    find_vehicle,
    situation_refusal,
)
from ..services.cession import check_code
from . import state

POUR_MOI = "moi"
POUR_AUTRUI = state.POUR_AUTRUI
POUR_MANDAT = state.POUR_MANDAT
OUI, NON = "oui", "non"

PLATE_HELP = _(
    "Notez le numéro d’immatriculation exactement comme il est inscrit sur votre carte grise en "
    "majuscules (sans oublier les traits d’union (dits tirets du 6 ou tirets du milieu) le cas "
    "échéant)."
)
FORMULE_HELP = _(
    "Uniquement pour les immatriculations appartenant au nouveau format, dit SIV (de type "
    "AB-123-CD). Format : 2 à 4 chiffres, 2 lettres, 5 chiffres (par exemple 2019AB12345)."
)
CI_DATE_HELP = _(
    "Pour les immatriculations appartenant à l’ancien format, dit FNI (de type 123 AB 01), la "
    "date du CI se situe en haut de la carte grise. Pour les immatriculations appartenant au "
    "nouveau format, dit SIV (de type AB-123-CD), la date du CI se situe en bas de la carte "
    "grise au niveau du champ I et sur le coupon détachable. Format attendu : JJ/MM/AAAA."
)
DATE_WIDGET = {"format": "%d/%m/%Y", "attrs": {"placeholder": "JJ/MM/AAAA"}}
DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label, input_formats=DATE_INPUTS, widget=forms.DateInput(**DATE_WIDGET), **kwargs
    )


def _demarche(kwargs):
    demarche = kwargs.pop("demarche", None)
    if demarche is None:
        raise TypeError("these forms need demarche=")
    return demarche


class _ClientKindField(forms.ChoiceField):
    """Required, but files started before company clients existed have no
    answer (re-bound at the final validation): a person."""

    def to_python(self, value):
        return super().to_python(value) or state.CLIENT_PERSON


class CompanyClientFields:
    """A professional's client may be a company (raison sociale and SIRET):
    the fields, their checks and their French messages, shared by every
    procedure filed under mandate (change of holder, address change,
    duplicate)."""

    def _add_company_client_fields(self):
        """A professional's client may be a company (raison sociale and
        SIRET): the registry's titulaire is then that company."""
        self.fields["titulaire_type"] = _ClientKindField(
            label=_("Le client est"),
            choices=[
                (state.CLIENT_PERSON, _("Une personne physique")),
                (state.CLIENT_COMPANY, _("Une société (numéro SIRET)")),
            ],
            widget=forms.RadioSelect,
            initial=state.CLIENT_PERSON,
        )
        self.fields["titulaire_raison_sociale"] = forms.CharField(
            label=_("Raison sociale du client"),
            help_text=_("Telle qu’elle figure sur l’extrait K-bis et sur le mandat"),
            max_length=200,
            required=False,
        )
        self.fields["titulaire_siret"] = forms.CharField(
            label=_("Numéro SIRET du client"),
            help_text=_("14 chiffres"),
            max_length=20,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        )
        self.order_fields(
            ["pour_qui", "titulaire_type", "titulaire_raison_sociale", "titulaire_siret"]
        )
        for name in ("titulaire_type", "titulaire_raison_sociale", "titulaire_siret"):
            dsfr_input_class_attr(self[name])

    def clean_titulaire_siret(self):
        return clean_siret(self.cleaned_data.get("titulaire_siret"))

    def _clean_company_client(self, data) -> bool:
        """True when the client is a company; its fields checked, the
        person's emptied (a company has no birth name)."""
        if data.get("titulaire_type") != state.CLIENT_COMPANY:
            data["titulaire_raison_sociale"] = data["titulaire_siret"] = ""
            return False
        if not data.get("titulaire_raison_sociale"):
            self.add_error(
                "titulaire_raison_sociale", _("Indiquez la raison sociale de la société cliente.")
            )
        if not data.get("titulaire_siret") and "titulaire_siret" not in self.errors:
            self.add_error("titulaire_siret", _("Indiquez le numéro SIRET de la société cliente."))
        data["titulaire_nom"] = data["titulaire_prenoms"] = ""
        data["titulaire_date_naissance"] = None
        return True


class PourCommencerForm(CompanyClientFields, DsfrBaseForm):
    """Step 1: for whom, which vehicle, and the proof that the sale was
    registered (code de cession, or numéro de formule / date du CI)."""

    pour_qui = forms.ChoiceField(
        label=_("Je fais la démarche"),
        choices=[
            (POUR_MOI, _("Pour moi-même")),
            (POUR_AUTRUI, _("Pour une autre personne, en tant que tiers de confiance")),
        ],
        widget=forms.RadioSelect,
    )
    titulaire_nom = forms.CharField(
        label=_("Nom de naissance du nouveau titulaire"),
        help_text=_("Seulement si vous faites la démarche pour une autre personne"),
        max_length=100,
        required=False,
    )
    titulaire_prenoms = forms.CharField(
        label=_("Prénoms du nouveau titulaire"), max_length=200, required=False
    )
    titulaire_date_naissance = _date_field(
        _("Date de naissance du nouveau titulaire"), required=False
    )
    titulaire_email = forms.EmailField(
        label=_("Adresse e-mail du client"),
        help_text=_(
            "Facultatif : le client reçoit par e-mail le numéro de la démarche et la "
            "confirmation de l’enregistrement"
        ),
        max_length=254,
        required=False,
    )
    immatriculation = forms.CharField(
        label=_("Numéro d’immatriculation"),
        help_text=PLATE_HELP,
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    a_code_cession = forms.ChoiceField(
        label=_("Avez-vous un code de cession ?"),
        help_text=_(
            "Oui : le vendeur a enregistré la déclaration de cession et vous a transmis un code "
            "de cession. Non : la cession a été enregistrée par une préfecture ou un "
            "professionnel de l’automobile."
        ),
        choices=[(OUI, _("Oui")), (NON, _("Non"))],
        widget=forms.RadioSelect,
    )
    code_cession = forms.CharField(
        label=_("Code de cession"),
        help_text=_("9 caractères, transmis par le vendeur (par exemple ABCD-EFGH-J)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    numero_formule = forms.CharField(
        label=_("Numéro de formule"), help_text=FORMULE_HELP, max_length=20, required=False
    )
    date_ci = _date_field(_("Date du CI"), required=False, help_text=CI_DATE_HELP)

    def __init__(self, *args, **kwargs):
        self.demarche = _demarche(kwargs)
        super().__init__(*args, **kwargs)
        # The engine re-binds the stored answers at the final validation:
        # that is not a person trying a plate, it does not count.
        self.revalidating = self.data == (self.demarche.answers or {}).get("pour-commencer")
        from ..professionnels.access import is_habilitated

        self.professional = is_habilitated(self.demarche.owner)
        if self.professional:
            # A professional files for a client, never for themselves.
            self.fields["pour_qui"].choices = [
                (POUR_MANDAT, _("Pour un client, sous mandat (cerfa n° 13757)"))
            ]
            self.fields["pour_qui"].initial = POUR_MANDAT
            self.fields["titulaire_nom"].label = _("Nom de naissance du client")
            self.fields["titulaire_nom"].help_text = _(
                "Tel qu’il figure sur la pièce d’identité du client et sur le mandat"
            )
            self.fields["titulaire_prenoms"].label = _("Prénoms du client")
            self.fields["titulaire_date_naissance"].label = _("Date de naissance du client")
            self._add_company_client_fields()
            company = self.data.get(self.add_prefix("titulaire_type")) == state.CLIENT_COMPANY
            for name, message in (
                ("titulaire_nom", _("Indiquez le nom de naissance du client.")),
                ("titulaire_prenoms", _("Indiquez les prénoms du client.")),
                ("titulaire_date_naissance", _("Indiquez la date de naissance du client.")),
            ):
                # A company client has no birth name: checked in clean().
                self.fields[name].required = not company
                self.fields[name].error_messages["required"] = message
        else:
            del self.fields["titulaire_email"]
        # DsfrBaseForm.__init__ cached the bound fields (labels, help texts)
        # before the changes above.
        self._bound_fields_cache.clear()

    def clean(self):
        data = super().clean()
        company = self.professional and self._clean_company_client(data)
        if self.errors:
            return data
        if data["pour_qui"] in (POUR_AUTRUI, POUR_MANDAT) and not company:
            client = data["pour_qui"] == POUR_MANDAT
            for name, message in (
                (
                    "titulaire_nom",
                    _("Indiquez le nom de naissance du client.")
                    if client
                    else _("Indiquez le nom de naissance du nouveau titulaire."),
                ),
                (
                    "titulaire_prenoms",
                    _("Indiquez les prénoms du client.")
                    if client
                    else _("Indiquez les prénoms du nouveau titulaire."),
                ),
                (
                    "titulaire_date_naissance",
                    _("Indiquez la date de naissance du client.")
                    if client
                    else _("Indiquez la date de naissance du nouveau titulaire."),
                ),
            ):
                if not data.get(name):
                    self.add_error(name, message)
            if self.errors:
                return data
        try:
            if self.is_bound and not self.revalidating:
                count_lookup(self.demarche.owner)
            vehicle = find_vehicle(data["immatriculation"])
            if data["a_code_cession"] == OUI:
                if not data.get("code_cession"):
                    raise RegistryRefusal(
                        _("Indiquez le code de cession transmis par le vendeur."),
                        code="code_missing",
                        field="code_cession",
                    )
                last_name, first_names = state.new_holder_names(self.demarche, data)
                check_code(
                    vehicle=vehicle,
                    code=data["code_cession"],
                    last_name=last_name,
                    first_names=first_names,
                    siret=data.get("titulaire_siret") or "",
                )
            else:
                check_typed_card(
                    vehicle,
                    formule_number=data.get("numero_formule") or "",
                    ci_date=data.get("date_ci"),
                )
            for situation in vehicle.blocking_situations():
                raise situation_refusal(situation)
            state.check_no_ongoing_change(vehicle, self.demarche)
        except RegistryRefusal as refusal:
            self.add_error(refusal.field if refusal.field in self.fields else None, refusal)
            return data
        data["vehicule"] = vehicle.pk
        return data


USAGE_CHOICES = [
    ("personnel", _("Usage personnel")),
    ("professionnel", _("Usage professionnel (hors transport de personnes)")),
    ("collection", _("Véhicule de collection")),
    ("taxi_vtc", _("Transport public de personnes (taxi, VTC)")),
    ("auto_ecole", _("Véhicule d’auto-école")),
]


class NouveauTitulaireForm(PostalAddressMixin, DsfrBaseForm):
    """Step 2: check the former holder, the sale, usages, the new holder
    (FranceConnect-certified fields are shown and not editable), address
    and cotitulaires."""

    ancien_titulaire_verifie = forms.BooleanField(
        label=_("J’ai vérifié que l’identité de l’ancien titulaire est celle du vendeur"),
    )
    date_cession = _date_field(_("Date de la cession"))
    heure_cession = forms.TimeField(
        label=_("Heure de la cession"),
        help_text=_("Format attendu : HH:MM"),
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "HH:MM"}),
    )
    kilometrage = forms.IntegerField(
        label=_("Kilométrage inscrit au compteur"), min_value=0, max_value=2_000_000
    )
    usage = forms.ChoiceField(label=_("Usage du véhicule"), choices=USAGE_CHOICES)
    nom_naissance = forms.CharField(label=_("Nom de naissance"), max_length=100)
    nom_usage = forms.CharField(label=_("Nom d’usage"), max_length=100, required=False)
    prenoms = forms.CharField(label=_("Prénoms"), max_length=200)
    sexe = forms.ChoiceField(
        label=_("Sexe"), choices=[("F", _("Femme")), ("M", _("Homme"))], widget=forms.RadioSelect
    )
    date_naissance = _date_field(_("Date de naissance"))
    adresse = forms.CharField(
        label=_("Numéro et nom de la voie"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    complement = forms.CharField(label=_("Complément d’adresse"), max_length=120, required=False)
    code_postal = postal_code_field()
    commune = commune_field()
    cotitulaire_nom = forms.CharField(
        label=_("Nom de naissance du cotitulaire"),
        help_text=_("Facultatif : une seconde personne inscrite sur la carte grise"),
        max_length=100,
        required=False,
    )
    cotitulaire_prenoms = forms.CharField(
        label=_("Prénoms du cotitulaire"), max_length=200, required=False
    )
    cotitulaire_date_naissance = _date_field(_("Date de naissance du cotitulaire"), required=False)

    certified_fields = ("nom_naissance", "prenoms", "sexe", "date_naissance")

    def __init__(self, *args, **kwargs):
        self.demarche = _demarche(kwargs)
        # A copy: the engine passes the stored answers themselves as initial.
        initial = kwargs["initial"] = dict(kwargs.get("initial") or {})
        super().__init__(*args, **kwargs)
        self.vehicle = state.vehicle_of(self.demarche)
        self.declaration = state.declaration_of(self.demarche)
        if self.declaration is not None and not self.is_bound:
            sold = timezone.localtime(self.declaration.sold_at)
            self.initial.setdefault("date_cession", sold.date())
            self.initial.setdefault("heure_cession", sold.time().replace(second=0, microsecond=0))
            self.initial.setdefault("kilometrage", self.declaration.mileage)
        certified = state.certified_identity(self.demarche)
        if certified:
            # FranceConnect certifies these: shown, never editable (a disabled
            # field ignores posted data and keeps the initial value).
            for name in self.certified_fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Certifié par FranceConnect")
                self.initial[name] = certified[name]
            if certified.get("nom_usage"):
                self.initial.setdefault("nom_usage", certified["nom_usage"])
            self._bound_fields_cache.clear()
        elif state.company_client(self.demarche.answers or {}):
            self._company_holder(state.company_client(self.demarche.answers or {}))
        elif state.under_mandate(self.demarche.answers or {}):
            # The client's identity was typed once in step 1, checked against
            # the registry there (code de cession) and against the mandate
            # and ID the agent reads: it is not typed a second time.
            for name, value in state.named_holder(self.demarche).items():
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Identité du client indiquée à l’étape « Pour commencer »"
                )
                self.initial[name] = value
            self._bound_fields_cache.clear()
        else:
            named = state.named_holder(self.demarche)
            for name, value in named.items():
                initial.setdefault(name, value)
                self.initial.setdefault(name, value)

    def _company_holder(self, company: dict):
        """A company client: the titulaire is the company typed in step 1
        (shown, not typed again); no person, no cotitulaire."""
        for name in (
            "nom_naissance",
            "nom_usage",
            "prenoms",
            "sexe",
            "date_naissance",
            "cotitulaire_nom",
            "cotitulaire_prenoms",
            "cotitulaire_date_naissance",
        ):
            del self.fields[name]
        shown = _("Client indiqué à l’étape « Pour commencer »")
        self.fields["raison_sociale"] = forms.CharField(
            label=_("Raison sociale"), disabled=True, help_text=shown
        )
        self.fields["siret"] = forms.CharField(
            label=_("Numéro SIRET"), disabled=True, help_text=shown
        )
        self.initial["raison_sociale"] = company["raison_sociale"]
        self.initial["siret"] = company["siret"]
        self.order_fields(
            [
                "ancien_titulaire_verifie",
                "date_cession",
                "heure_cession",
                "kilometrage",
                "usage",
                "raison_sociale",
                "siret",
            ]
        )
        for name in ("raison_sociale", "siret"):
            dsfr_input_class_attr(self[name])
        self._bound_fields_cache.clear()

    def clean_date_naissance(self):
        value = self.cleaned_data["date_naissance"]
        if value and value >= timezone.localdate():
            raise ValidationError(_("La date de naissance doit être une date passée."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("date_cession") and data.get("heure_cession"):
            sold_at = timezone.make_aware(
                datetime.combine(data["date_cession"], data["heure_cession"])
            )
            if sold_at > timezone.now():
                self.add_error(
                    "date_cession",
                    _("La date et l’heure de la cession ne peuvent pas être dans le futur."),
                )
            elif self.vehicle and data["date_cession"] < self.vehicle.ci_date:
                self.add_error(
                    "date_cession",
                    _(
                        "La cession ne peut pas être antérieure à la date du certificat d’immatriculation."
                    ),
                )
        partial = [
            data.get("cotitulaire_nom"),
            data.get("cotitulaire_prenoms"),
            data.get("cotitulaire_date_naissance"),
        ]
        if any(partial) and not all(partial):
            self.add_error(
                "cotitulaire_nom",
                _(
                    "Pour ajouter un cotitulaire, indiquez son nom, ses prénoms et sa date de naissance."
                ),
            )
        return data


class RecapitulatifForm(DsfrBaseForm):
    """Step 3: the legal conditions, each to tick (seed 003)."""

    exactitude = forms.BooleanField(
        label=_(
            "Je certifie sur l’honneur l’exactitude des informations transmises dans la présente "
            "demande et que le véhicule m’a été cédé (ou a été cédé à la personne pour laquelle "
            "j’agis) par son titulaire."
        )
    )
    sanctions = forms.BooleanField(
        label=_(
            "J’ai pris connaissance que toute fausse déclaration est passible des peines prévues "
            "aux articles 441-1 et 441-6 du code pénal (faux et usage de faux, fausse "
            "déclaration)."
        )
    )
    donnees = forms.BooleanField(
        label=_(
            "J’accepte que ces informations soient enregistrées dans le système d’immatriculation "
            "des véhicules (SIV) et que le certificat d’immatriculation soit envoyé à l’adresse "
            "du nouveau titulaire."
        )
    )

    def __init__(self, *args, **kwargs):
        self.demarche = _demarche(kwargs)
        super().__init__(*args, **kwargs)


class PaiementForm(DsfrBaseForm):
    """Step 4 has no field: "Valider" starts the card payment (its own URL)."""

    def __init__(self, *args, **kwargs):
        self.demarche = _demarche(kwargs)
        super().__init__(*args, **kwargs)
