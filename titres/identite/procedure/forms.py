"""Forms of the pré-demande (ID card / passport). Each takes the démarche
(`demarche=`) and accepts its own stored JSON as data (the engine re-runs
them at the final validation)."""

from __future__ import annotations

import datetime

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from titres.permis.address import (
    PostalAddressMixin,
    check_postal_commune,
    commune_field,
    postal_code_field,
)
from titres.permis.enums import Sex
from titres.permis.request_forms import PastDateField, PrenomsField

from ..enums import Motif, TitleKind
from . import rules

BOTH = "les_deux"
TITLE_CHOICES = [
    (TitleKind.CNI, _("Carte nationale d’identité")),
    (TitleKind.PASSEPORT, _("Passeport")),
    (BOTH, _("Carte d’identité et passeport")),
]
FOR_WHOM = [("moi", _("Pour moi-même")), ("mineur", _("Pour un enfant mineur que je représente"))]
AUTHORITY_CHOICES = [
    ("pere", _("Père")),
    ("mere", _("Mère")),
    ("tuteur", _("Tuteur ou tutrice (jugement de tutelle)")),
]
NATIONALITY_CHOICES = [
    ("naissance_france", _("Française, par naissance en France d’un parent né en France")),
    ("filiation", _("Française, par filiation (un parent français)")),
    ("mariage", _("Française, par mariage (déclaration)")),
    ("naturalisation", _("Française, par naturalisation")),
    ("declaration", _("Française, par déclaration (autre)")),
    ("reintegration", _("Française, par réintégration")),
]
# The list of the cerfa n° 12100 / 12101.
EYE_COLOURS = [
    ("bleu", _("Bleu")),
    ("bleu_gris", _("Bleu-gris")),
    ("bleu_vert", _("Bleu-vert")),
    ("gris", _("Gris")),
    ("gris_vert", _("Gris-vert")),
    ("marron", _("Marron")),
    ("marron_vert", _("Marron-vert")),
    ("noir", _("Noir")),
    ("noisette", _("Noisette")),
    ("vert", _("Vert")),
    ("vairon", _("Vairon (yeux de couleurs différentes)")),
]
DATE_HELP = _("Format attendu : JJ/MM/AAAA")


def _pop(kwargs):
    return kwargs.pop("demarche", None)


def _one_line(value: str) -> str:
    return " ".join((value or "").split())


class TitreForm(DsfrBaseForm):
    titre = forms.ChoiceField(
        label=_("Quel titre demandez-vous ?"),
        choices=TITLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le titre demandé.")},
    )
    motif = forms.ChoiceField(
        label=_("Quel est le motif de la demande ?"),
        choices=Motif.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Renouvellement : titre expiré ou expirant dans moins de 6 mois. Le changement "
            "d’adresse ne concerne que la carte d’identité."
        ),
        error_messages={"required": _("Choisissez le motif de la demande.")},
    )
    pour_qui = forms.ChoiceField(
        label=_("Pour qui est ce titre ?"),
        choices=FOR_WHOM,
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez pour qui est ce titre.")},
    )

    def __init__(self, *args, **kwargs):
        _pop(kwargs)
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("motif") == Motif.ADRESSE and data.get("titre") != TitleKind.CNI:
            self.add_error(
                "motif",
                _(
                    "Le changement d’adresse ne concerne que la carte d’identité : le "
                    "passeport ne porte pas d’adresse."
                ),
            )
        return data


class PersonFields(DsfrBaseForm):
    """Names, first names and birth date of a person."""

    nom = forms.CharField(label=_("Nom de naissance"), max_length=100)
    prenoms = PrenomsField(label=_("Prénoms"), help_text=_("Dans l’ordre de l’état civil"))
    date_naissance = PastDateField(
        label=_("Date de naissance"),
        help_text=DATE_HELP,
        future_message=_("La date de naissance doit être une date passée."),
    )

    def clean_nom(self):
        return _one_line(self.cleaned_data["nom"]).upper()


class RepresentantForm(PersonFields):
    """The filer acting for a minor: their identity and authority."""

    qualite = forms.ChoiceField(
        label=_("Vous agissez en qualité de"),
        choices=AUTHORITY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez à quel titre vous représentez l’enfant.")},
    )
    exercice = forms.BooleanField(
        label=_(
            "J’exerce l’autorité parentale (ou la tutelle) sur l’enfant et je serai présent(e) "
            "lors du dépôt du dossier en mairie."
        ),
        error_messages={
            "required": _("Cochez cette case : seul un représentant légal peut faire la demande.")
        },
    )

    def __init__(self, *args, **kwargs):
        demarche = _pop(kwargs)
        super().__init__(*args, **kwargs)
        owner = getattr(demarche, "owner", None)
        if owner is not None and not self.is_bound and not self.initial:
            self.initial = {
                "nom": (owner.last_name or "").upper(),
                "prenoms": [p for p in (owner.first_name or "").split() if p],
            }

    def clean_date_naissance(self):
        born = self.cleaned_data["date_naissance"]
        if born and rules.age(born) < 18:
            raise ValidationError(_("Le représentant légal doit être majeur."))
        return born


class EtatCivilForm(DsfrBaseForm):
    nom_naissance = forms.CharField(label=_("Nom de naissance"), max_length=100)
    nom_usage = forms.CharField(
        label=_("Nom d’usage"),
        help_text=_(
            "Nom d’époux ou d’épouse, ou nom de l’autre parent, s’il doit figurer sur le titre"
        ),
        max_length=100,
        required=False,
    )
    prenoms = PrenomsField(
        label=_("Prénoms"),
        help_text=_(
            "Dans l’ordre de l’état civil ; un prénom composé porte un tiret (Jean-Pierre)."
        ),
    )
    sexe = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices, widget=forms.RadioSelect)
    date_naissance = PastDateField(
        label=_("Date de naissance"),
        help_text=DATE_HELP,
        future_message=_("La date de naissance doit être une date passée."),
    )
    code_postal_naissance = forms.CharField(
        label=_("Code postal du lieu de naissance"),
        help_text=_("Pour une naissance en France"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    commune_naissance = forms.CharField(
        label=_("Commune de naissance"), max_length=100, required=False
    )
    pays_naissance = forms.CharField(
        label=_("Pays de naissance"),
        help_text=_("Seulement pour une naissance à l’étranger"),
        max_length=100,
        required=False,
    )
    nationalite = forms.ChoiceField(
        label=_("Nationalité française"),
        choices=NATIONALITY_CHOICES,
        help_text=_("Comment la nationalité française est détenue"),
    )

    def __init__(self, *args, **kwargs):
        self.demarche = _pop(kwargs)
        super().__init__(*args, **kwargs)

    def clean_nom_naissance(self):
        return _one_line(self.cleaned_data["nom_naissance"]).upper()

    def clean_nom_usage(self):
        return _one_line(self.cleaned_data["nom_usage"]).upper()

    def clean(self):
        data = super().clean()
        country = _one_line(data.get("pays_naissance"))
        if country.casefold() == "france":
            country = ""
        data["pays_naissance"] = country
        if country:
            data["code_postal_naissance"] = ""
        elif data.get("code_postal_naissance") or data.get("commune_naissance"):
            check_postal_commune(self, data, "code_postal_naissance", "commune_naissance")
        else:
            self.add_error(
                "commune_naissance",
                _("Indiquez la commune de naissance, ou le pays pour une naissance à l’étranger."),
            )
        born = data.get("date_naissance")
        if born and self.demarche is not None:
            minor_expected = rules.for_minor(self.demarche.answers or {})
            if minor_expected and rules.age(born) >= 18:
                self.add_error(
                    "date_naissance",
                    _(
                        "Vous faites la demande pour un mineur : la personne doit avoir moins de 18 ans."
                    ),
                )
            if not minor_expected and rules.age(born) < 18:
                self.add_error(
                    "date_naissance",
                    _(
                        "Un mineur ne peut pas faire sa demande seul : choisissez « Pour un "
                        "enfant mineur que je représente » à la première étape."
                    ),
                )
        return data


class DescriptionForm(DsfrBaseForm):
    taille = forms.IntegerField(
        label=_("Taille (en centimètres)"),
        min_value=40,
        max_value=250,
        error_messages={
            "min_value": _("Indiquez une taille entre 40 et 250 cm."),
            "max_value": _("Indiquez une taille entre 40 et 250 cm."),
        },
    )
    yeux = forms.ChoiceField(label=_("Couleur des yeux"), choices=[("", "—"), *EYE_COLOURS])

    def __init__(self, *args, **kwargs):
        _pop(kwargs)
        super().__init__(*args, **kwargs)


class AdresseForm(PostalAddressMixin, DsfrBaseForm):
    adresse = forms.CharField(
        label=_("Numéro et voie"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    complement = forms.CharField(label=_("Complément d’adresse"), max_length=120, required=False)
    code_postal = postal_code_field()
    commune = commune_field()
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    telephone = forms.CharField(
        label=_("Téléphone (facultatif)"),
        help_text=_("Pour être prévenu(e) par SMS quand le titre est disponible"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        demarche = _pop(kwargs)
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial and demarche is not None:
            self.initial = {"email": demarche.owner.email}

    def clean_telephone(self):
        value = self.cleaned_data["telephone"].strip()
        if not value:
            return ""
        try:
            number = phonenumbers.parse(value, "FR")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError(
                _("Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78.")
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ParentsForm(DsfrBaseForm):
    """Both parents; "inconnu" is allowed for either (the fields are then
    left empty)."""

    PREFIXES = (("pere", _("Père")), ("mere", _("Mère")))

    def __init__(self, *args, **kwargs):
        _pop(kwargs)
        super().__init__(*args, **kwargs)
        for prefix, label in self.PREFIXES:
            self.fields[f"{prefix}_inconnu"] = forms.BooleanField(
                label=_("%(parent)s inconnu(e)") % {"parent": label}, required=False
            )
            self.fields[f"{prefix}_nom"] = forms.CharField(
                label=_("%(parent)s — nom de naissance") % {"parent": label},
                max_length=100,
                required=False,
            )
            self.fields[f"{prefix}_prenoms"] = forms.CharField(
                label=_("%(parent)s — prénoms") % {"parent": label}, max_length=200, required=False
            )
            self.fields[f"{prefix}_date_naissance"] = PastDateField(
                label=_("%(parent)s — date de naissance") % {"parent": label},
                help_text=DATE_HELP,
                future_message=_("La date de naissance doit être une date passée."),
                required=False,
            )
            self.fields[f"{prefix}_lieu_naissance"] = forms.CharField(
                label=_("%(parent)s — lieu de naissance (commune ou pays)") % {"parent": label},
                max_length=120,
                required=False,
            )
            self.fields[f"{prefix}_nationalite"] = forms.CharField(
                label=_("%(parent)s — nationalité") % {"parent": label},
                max_length=60,
                required=False,
            )

    def clean(self):
        data = super().clean()
        for prefix, label in self.PREFIXES:
            if data.get(f"{prefix}_inconnu"):
                for name in ("nom", "prenoms", "date_naissance", "lieu_naissance", "nationalite"):
                    data[f"{prefix}_{name}"] = "" if name != "date_naissance" else None
                continue
            for name in ("nom", "prenoms"):
                if not _one_line(data.get(f"{prefix}_{name}")):
                    self.add_error(
                        f"{prefix}_{name}",
                        _("Renseignez ce champ, ou cochez « %(parent)s inconnu(e) ».")
                        % {"parent": label},
                    )
            if data.get(f"{prefix}_nom"):
                data[f"{prefix}_nom"] = _one_line(data[f"{prefix}_nom"]).upper()
        return data


class AncienTitreForm(DsfrBaseForm):
    """The former title, and what the motif asks: a sworn loss declaration
    (it replaces the cerfa n° 14011 at the counter) or the number of the
    police report of a theft."""

    numero = forms.CharField(
        label=_("Numéro du titre précédent"),
        help_text=_("Facultatif si vous ne l’avez plus"),
        max_length=20,
        required=False,
    )
    date_delivrance = PastDateField(
        label=_("Date de délivrance"),
        help_text=DATE_HELP,
        future_message=_("La date de délivrance doit être une date passée."),
        required=False,
    )
    autorite = forms.CharField(
        label=_("Autorité de délivrance"),
        help_text=_("Par exemple « Préfecture du Rhône »"),
        max_length=120,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        demarche = _pop(kwargs)
        super().__init__(*args, **kwargs)
        motif = rules.motif(demarche.answers or {}) if demarche is not None else ""
        if motif == Motif.PERTE:
            self.fields["date_perte"] = PastDateField(
                label=_("Date de la perte (ou date à laquelle vous l’avez constatée)"),
                help_text=DATE_HELP,
                future_message=_("La date de la perte doit être une date passée."),
            )
            self.fields["lieu_perte"] = forms.CharField(
                label=_("Lieu de la perte (commune, ou « inconnu »)"), max_length=120
            )
            self.fields["circonstances"] = forms.CharField(
                label=_("Circonstances de la perte"),
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields["declaration_perte"] = forms.BooleanField(
                label=_(
                    "Je déclare sur l’honneur avoir perdu mon titre dans les circonstances "
                    "indiquées ci-dessus. Je sais qu’une fausse déclaration est punie par la loi "
                    "(articles 441-6 et 441-7 du code pénal)."
                ),
                error_messages={
                    "required": _("Cochez la déclaration sur l’honneur pour continuer.")
                },
            )
        elif motif == Motif.VOL:
            self.fields["numero_plainte"] = forms.CharField(
                label=_("Numéro du récépissé de déclaration de vol"),
                help_text=_("Délivré par la police ou la gendarmerie"),
                max_length=40,
            )
            self.fields["date_vol"] = PastDateField(
                label=_("Date du vol"),
                help_text=DATE_HELP,
                future_message=_("La date du vol doit être une date passée."),
            )


class PaiementForm(DsfrBaseForm):
    """One stamp field per title that costs one (passport, ID card after a
    loss or theft). Validating reserves each stamp for this démarche."""

    def __init__(self, *args, **kwargs):
        self.demarche = _pop(kwargs)
        super().__init__(*args, **kwargs)
        answers = (self.demarche.answers or {}) if self.demarche is not None else {}
        from titres.paiements.models import format_amount

        for title, _purpose, cents in rules.stamps_due(answers):
            self.fields[f"timbre_{title}"] = forms.CharField(
                label=_("Numéro du timbre fiscal électronique — %(title)s (%(amount)s)")
                % {"title": TitleKind(title).label, "amount": format_amount(cents)},
                help_text=_("16 chiffres, tels qu’indiqués sur votre timbre"),
                max_length=24,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                error_messages={
                    "required": _("Saisissez le numéro de votre timbre fiscal ou achetez-en un.")
                },
            )
        self.purposes = {f"timbre_{t}": p for t, p, _c in rules.stamps_due(answers)}

    def clean(self):
        from titres.paiements.services import StampError, reserve_stamp

        data = super().clean()
        demarche = self.demarche
        seen = set()
        for name, purpose in self.purposes.items():
            number = "".join((data.get(name) or "").split())
            if not number:
                continue
            if number in seen:
                self.add_error(name, _("Chaque titre demande son propre timbre."))
                continue
            seen.add(number)
            if demarche is None or not demarche.is_draft:
                data[name] = number
                continue
            try:
                stamp = reserve_stamp(
                    number=number,
                    purpose=purpose,
                    holder=rules.stamp_holder(demarche, name),
                    actor=demarche.owner,
                )
            except StampError as error:
                self.add_error(name, error.messages[0])
            else:
                data[name] = stamp.number
        return data


def parse_date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None
