"""Forms of the "Permis de conduire" téléprocédure (seed 002, steps 1 to 6).

Each form takes the démarche (`demarche=`) so it can check an answer against
the file (15-day e-photo delay, stamp held by this démarche). The wizard
engine stores `cleaned_data` as JSON under `answers[step slug]` and re-runs
the same form on the stored answers at the final validation, so every form
also accepts its own stored JSON as data (ISO dates, lists)."""

from __future__ import annotations

from datetime import date, timedelta

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from dsfr.forms import DsfrBaseForm

from .address import PostalAddressMixin, commune_field, postal_code_field
from .communes import default_prefecture, prefecture_choices
from .enums import Sex
from .identifiers import cleaned_neph, compact, format_ephoto_code

# --- Motifs ------------------------------------------------------------------

PERTE = "perte"
VOL = "vol"
DETERIORATION = "deterioration"
EXPIRATION = "expiration"
CHANGEMENT_ETAT_CIVIL = "changement_etat_civil"

MOTIF_CHOICES = [
    (PERTE, _("Perte du titre")),
    (VOL, _("Vol du titre")),
    (DETERIORATION, _("Détérioration du titre")),
    (EXPIRATION, _("Expiration de la durée administrative du titre")),
    (CHANGEMENT_ETAT_CIVIL, _("Changement d’état civil")),
]
# The sentence shown under the choice and on the récapitulatif (seed 002).
MOTIF_SENTENCES = {
    PERTE: _("La demande du titre est effectuée à la suite de la perte du précédent titre."),
    VOL: _("La demande du titre est effectuée à la suite du vol du précédent titre."),
    DETERIORATION: _(
        "La demande du titre est effectuée à la suite de la détérioration du précédent titre."
    ),
    EXPIRATION: _(
        "La demande du titre est effectuée à la suite de l’expiration de la durée "
        "administrative du précédent titre."
    ),
    CHANGEMENT_ETAT_CIVIL: _(
        "La demande du titre est effectuée à la suite d’un changement d’état civil."
    ),
}
# Reasons that cost a 25 € electronic tax stamp (CGI art. 1628).
PAYING_MOTIFS = frozenset({PERTE, VOL})

# A code photo must be given within this delay after the citizen chose to
# continue without it (seed 002 step 4).
EPHOTO_DELAY = timedelta(days=15)
MAX_PRENOMS = 8
SHOWN_PRENOMS = 4

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _demarche_kwarg(kwargs):
    return kwargs.pop("demarche", None)


def _parse_iso(value) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


class PastDateField(forms.DateField):
    """JJ/MM/AAAA, a real calendar date strictly in the past."""

    default_error_messages = {
        "invalid": _("Saisissez une date réelle au format JJ/MM/AAAA, par exemple 01/01/1956."),
    }

    def __init__(self, *, future_message, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "JJ/MM/AAAA"}),
        )
        super().__init__(**kwargs)
        self.future_message = future_message

    def prepare_value(self, value):
        # Stored answers hold ISO strings: show them as JJ/MM/AAAA.
        if isinstance(value, str):
            parsed = _parse_iso(value)
            if parsed is not None:
                return parsed
        return super().prepare_value(value)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value >= timezone.localdate():
            raise ValidationError(self.future_message, code="future")
        if value.year < 1900:
            raise ValidationError(
                _("Saisissez une date réelle au format JJ/MM/AAAA, par exemple 01/01/1956."),
                code="invalid",
            )


# --- Step 1: motif -------------------------------------------------------------


class MotifForm(DsfrBaseForm):
    motif = forms.ChoiceField(
        label=_("Quel est le motif de la demande du titre"),
        choices=MOTIF_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le motif de la demande.")},
        help_text=_("Le motif choisi détermine les pièces justificatives et le paiement demandés."),
    )

    def __init__(self, *args, **kwargs):
        _demarche_kwarg(kwargs)
        super().__init__(*args, **kwargs)

    def sentences(self) -> list[tuple[str, str, bool]]:
        """(motif, sentence, is the chosen one): seed 002 shows the sentence
        of the chosen reason under the choice."""
        chosen = self["motif"].value()
        return [(code, str(text), code == chosen) for code, text in MOTIF_SENTENCES.items()]


# --- Step 2: état civil ----------------------------------------------------------


def ordinal_label(index: int) -> str:
    """1 → "1er prénom", 2 → "2ème prénom" (wording of seed 002)."""
    if index == 1:
        return str(_("1er prénom"))
    return str(_("%(n)sème prénom")) % {"n": index}


class PrenomsWidget(forms.Widget):
    """Several text inputs sharing the name "prenoms" (one per first name,
    in civil order). Without JavaScript they are all shown; permis/prenoms.js
    hides the empty ones and adds the "+ Ajouter un prénom" button."""

    template_name = "permis/forms/prenoms_widget.html"

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        value = data.get(name)
        if isinstance(value, str):
            return [value]
        return list(value or [])

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def id_for_label(self, id_):
        # The first input (1er prénom): where a label or an error link leads.
        return f"{id_}_0" if id_ else id_

    def format_value(self, value):
        if isinstance(value, str):
            return [value]
        return list(value or [])

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = self.format_value(value)
        count = max(SHOWN_PRENOMS, len(values))
        base_id = (attrs or {}).get("id") or f"id_{name}"
        context["widget"]["rows"] = [
            {
                "id": f"{base_id}_{index}",
                "label": ordinal_label(index + 1),
                "value": values[index] if index < len(values) else "",
                "required": index == 0,
            }
            for index in range(count)
        ]
        context["widget"]["max"] = MAX_PRENOMS
        # For the script's new inputs ("%(n)s" replaced by their number).
        context["widget"]["label_template"] = str(_("%(n)sème prénom"))
        return context


class PrenomsField(forms.Field):
    widget = PrenomsWidget
    template_name = "permis/forms/prenoms_field.html"
    default_error_messages = {
        "required": _("Saisissez au moins le premier prénom."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = [value]
        cleaned = [" ".join(str(v).split()) for v in (value or [])]
        return [v for v in cleaned if v]

    def validate(self, value):
        if not value and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(value) > MAX_PRENOMS:
            raise ValidationError(
                _("Indiquez au plus %(max)s prénoms.") % {"max": MAX_PRENOMS}, code="too_many"
            )
        for name in value:
            if len(name) > 60:
                raise ValidationError(_("Un prénom comporte au plus 60 caractères."))


FRANCE = "france"
ETRANGER = "etranger"
LIEU_CHOICES = [(FRANCE, _("En France")), (ETRANGER, _("À l’étranger"))]


class EtatCivilForm(DsfrBaseForm):
    nom_naissance = forms.CharField(
        label=_("Nom de naissance"),
        help_text=_("Nom figurant sur votre acte de naissance"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    nom_usage = forms.CharField(
        label=_("Nom d’usage"),
        help_text=_("Par exemple le nom d’époux ou d’épouse, s’il figure sur le titre"),
        max_length=100,
        required=False,
    )
    sexe = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices, widget=forms.RadioSelect)
    prenoms = PrenomsField(
        label=_("Prénoms"),
        help_text=_(
            "Entrez vos prénoms dans l’ordre de l’état civil. Les prénoms composés sont "
            "séparés par un tiret (ex : Jean-Pierre)."
        ),
    )
    date_naissance = PastDateField(
        label=_("Date de naissance"),
        help_text=_("Format attendu : JJ/MM/AAAA"),
        future_message=_("La date de naissance doit être une date passée."),
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"autocomplete": "bday", "placeholder": "JJ/MM/AAAA"}
        ),
    )
    lieu_naissance = forms.ChoiceField(
        label=_("Lieu de naissance"),
        choices=LIEU_CHOICES,
        widget=forms.RadioSelect(attrs={"data-lieu-naissance": ""}),
        error_messages={"required": _("Indiquez si vous êtes né(e) en France ou à l’étranger.")},
    )
    # Which of the three next fields is required depends on lieu_naissance
    # (set in __init__, so the labels say it): in France the commune and the
    # département; abroad the country, the city being optional.
    commune_naissance = forms.CharField(label=_("Commune de naissance"), max_length=100)
    departement_naissance = forms.ChoiceField(label=_("Département de naissance"))
    pays_naissance = forms.CharField(label=_("Pays de naissance"), max_length=100)
    neph = forms.CharField(
        label=_("Numéro de dossier du permis actuel (NEPH)"),
        help_text=_(
            "Si vous le connaissez : 12 chiffres, indiqués à la rubrique 5 de votre permis."
        ),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        _demarche_kwarg(kwargs)
        super().__init__(*args, **kwargs)
        from .models import Departement

        self.fields["departement_naissance"].choices = [("", "—")] + [
            (d.code, f"{d.code} — {d.name}") for d in Departement.objects.order_by("code")
        ]
        self.lieu = self._lieu()
        abroad = self.lieu == ETRANGER
        commune = self.fields["commune_naissance"]
        commune.required = not abroad
        if abroad:
            commune.label = _("Ville de naissance")
        commune.widget.attrs.update(
            {
                "data-label-france": str(_("Commune de naissance")),
                "data-label-etranger": str(_("Ville de naissance")),
                # django-dsfr's own marker, so the script writes the same words.
                "data-optional": " " + str(_("(Optional)")),
            }
        )
        commune.error_messages["required"] = _("Indiquez la commune de naissance.")
        self.fields["departement_naissance"].required = not abroad
        self.fields["departement_naissance"].error_messages["required"] = _(
            "Indiquez le département de naissance."
        )
        self.fields["pays_naissance"].required = abroad
        self.fields["pays_naissance"].error_messages["required"] = _(
            "Indiquez le pays de naissance."
        )

    def _lieu(self) -> str:
        """Born in France or abroad: the answer, else what earlier answers
        imply (a country given means abroad), else France. Drafts saved
        before the question existed are read the same way."""
        source = self.data if self.is_bound else (self.initial or {})
        lieu = source.get("lieu_naissance")
        if lieu not in (FRANCE, ETRANGER):
            pays = " ".join(str(source.get("pays_naissance") or "").split())
            lieu = ETRANGER if pays and pays.casefold() != "france" else FRANCE
            if self.is_bound and "lieu_naissance" not in self.data:
                self.data = self.data.copy()
                self.data["lieu_naissance"] = lieu
            elif not self.is_bound:
                self.initial = {**(self.initial or {}), "lieu_naissance": lieu}
        return lieu

    def clean_nom_naissance(self):
        return " ".join(self.cleaned_data["nom_naissance"].split()).upper()

    def clean_nom_usage(self):
        return " ".join(self.cleaned_data["nom_usage"].split()).upper()

    def clean_neph(self):
        return cleaned_neph(self.cleaned_data["neph"], required=False)

    def clean(self):
        data = super().clean()
        if self.lieu == FRANCE:
            data["pays_naissance"] = ""
            return data
        data["departement_naissance"] = ""
        pays = " ".join((data.get("pays_naissance") or "").split())
        if pays.casefold() == "france":
            self.add_error(
                "pays_naissance",
                _("Vous êtes né(e) en France : choisissez « En France » ci-dessus."),
            )
        data["pays_naissance"] = pays
        return data


# --- Step 3: adresse et contact --------------------------------------------------

EXTENSION_CHOICES = [
    ("", "—"),
    ("bis", "bis"),
    ("ter", "ter"),
    ("quater", "quater"),
    ("quinquies", "quinquies"),
    ("A", "A"),
    ("B", "B"),
    ("C", "C"),
    ("D", "D"),
]
TYPE_VOIE_CHOICES = [
    ("", "—"),
    ("allee", _("Allée")),
    ("avenue", _("Avenue")),
    ("boulevard", _("Boulevard")),
    ("chemin", _("Chemin")),
    ("cours", _("Cours")),
    ("impasse", _("Impasse")),
    ("lieu-dit", _("Lieu-dit")),
    ("place", _("Place")),
    ("quai", _("Quai")),
    ("residence", _("Résidence")),
    ("route", _("Route")),
    ("rue", _("Rue")),
    ("square", _("Square")),
    ("autre", _("Autre")),
]
YES_NO = [("oui", pgettext_lazy("réponse", "Oui")), ("non", pgettext_lazy("réponse", "Non"))]


class AdresseForm(PostalAddressMixin, DsfrBaseForm):
    numero = forms.CharField(
        label=_("N° de la voie"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    extension = forms.ChoiceField(
        label=_("Extension (bis, ter, etc)"), choices=EXTENSION_CHOICES, required=False
    )
    type_voie = forms.ChoiceField(
        label=_("Type de voie (avenue, boulevard, etc)"), choices=TYPE_VOIE_CHOICES, required=False
    )
    nom_voie = forms.CharField(
        label=_("Nom de la voie"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    complement = forms.CharField(
        label=_("Complément d’adresse"),
        help_text=_(
            "Étage, escalier, appartement - Immeuble, bâtiment, résidence - Lieu-dit - Boîte postale"
        ),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    code_postal = postal_code_field()
    commune = commune_field()
    prefecture = forms.ChoiceField(
        label=_("Votre préfecture de rattachement"),
        required=False,
        help_text=_("Par défaut, la préfecture du département de votre domicile"),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    mobile = forms.CharField(
        label=_("Téléphone portable"),
        help_text=_("Recommandé, pour être prévenu(e) par SMS : par exemple 06 12 34 56 78"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    consentement_information = forms.ChoiceField(
        label=_(
            "J’accepte que mes données personnelles soient réutilisées à des fins "
            "d’information (elles ne seront ni vendues ni cédées à des organismes à but "
            "lucratif)."
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Répondez par oui ou par non.")},
    )

    def __init__(self, *args, **kwargs):
        demarche = _demarche_kwarg(kwargs)
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [
            ("", _("— Préfecture du département de résidence —"))
        ] + (prefecture_choices())
        postal = self.fields["code_postal"].widget.attrs
        postal["data-communes-url"] = reverse("permis:communes")
        postal["data-communes-target"] = "id_commune"
        postal["data-communes-prefecture"] = "id_prefecture"
        # What the script says in its live region (WCAG 4.1.3).
        postal["data-communes-one"] = str(_("Commune remplie d’après le code postal : {commune}."))
        postal["data-communes-many"] = str(
            _("{n} communes pour le code postal {code} : choisissez la vôtre dans la liste.")
        )
        postal["data-communes-none"] = str(_("Aucune commune ne correspond au code postal {code}."))
        # The account's e-mail, unless a driving school files for a candidate.
        if (
            not self.is_bound
            and not self.initial
            and demarche is not None
            and getattr(demarche.owner, "profile", "") != "auto_ecole"
        ):
            self.initial = {"email": demarche.owner.email}

    def clean_mobile(self):
        value = self.cleaned_data["mobile"].strip()
        if not value:
            return ""
        try:
            number = phonenumbers.parse(value, "FR")
        except phonenumbers.NumberParseException:
            number = None
        if (
            number is None
            or not phonenumbers.is_valid_number(number)
            or phonenumbers.number_type(number)
            not in (
                phonenumbers.PhoneNumberType.MOBILE,
                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
            )
        ):
            raise ValidationError(
                _("Saisissez un numéro de téléphone portable valide, par exemple 06 12 34 56 78.")
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean(self):
        data = super().clean()
        row = self.commune_row
        if row is not None and not data.get("prefecture"):
            departement = default_prefecture(row.departement_code)
            data["prefecture"] = departement.code if departement else ""
        return data


# --- Step 4: photo / signature ----------------------------------------------------


def ephoto_deadline(answers: dict) -> date | None:
    """Last day to give the code photo when the citizen went on without it."""
    since = _parse_iso((answers.get("photo") or {}).get("sans_code_depuis"))
    return since + EPHOTO_DELAY if since else None


def ephoto_blocked(answers: dict, *, today: date | None = None) -> bool:
    photo = answers.get("photo") or {}
    deadline = ephoto_deadline(answers)
    if photo.get("code_ephoto") or deadline is None:
        return False
    return (today or timezone.localdate()) > deadline


BLOCKED_MESSAGE = _(
    "Le délai de 15 jours pour saisir votre code photo numérique est dépassé depuis le "
    "%(date)s : cette demande est bloquée. Abandonnez-la et déposez une nouvelle demande "
    "avec un code photo numérique."
)


# How the photo and signature reach the file (seed 002 step 4).
EPHOTO = "ephoto"
PLUS_TARD = "plus_tard"
TALON = "talon"
MODE_PHOTO_CHOICES = [
    (EPHOTO, _("Fournir la photo et la signature en eService, avec mon code photo numérique")),
    (PLUS_TARD, _("Je n’ai pas encore de code : je l’indiquerai dans les 15 jours")),
    (
        TALON,
        _(
            "Je n’ai pas de code : j’imprime le talon photo-signature, j’y colle ma photo, "
            "je le signe et je l’envoie par courrier"
        ),
    ),
]


TALON_SUMMARY = _("Talon photo-signature imprimé, à envoyer par courrier")


def photo_mode(answers: dict) -> str:
    """The path chosen at step 4, read from the stored answers (drafts saved
    before the choice existed: a code means eService, none the 15 days)."""
    photo = answers.get("photo") or {}
    mode = photo.get("mode_photo")
    if mode in (EPHOTO, PLUS_TARD, TALON):
        return mode
    return EPHOTO if photo.get("code_ephoto") or not photo else PLUS_TARD


class PhotoForm(DsfrBaseForm):
    mode_photo = forms.ChoiceField(
        label=_("Comment fournissez-vous votre photo et votre signature ?"),
        choices=MODE_PHOTO_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez comment vous fournissez votre photo.")},
    )
    code_ephoto = forms.CharField(
        label=_("Code « photo numérique »"),
        help_text=_(
            "22 caractères (chiffres et lettres) remis par le photographe ou la cabine agréés, "
            "avec ou sans espaces"
        ),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, **kwargs):
        self.demarche = _demarche_kwarg(kwargs)
        super().__init__(*args, **kwargs)
        answers = (self.demarche.answers or {}) if self.demarche is not None else {}
        self.deadline = ephoto_deadline(answers)
        self.blocked = ephoto_blocked(answers)
        self.mode = self._mode()
        # The code is required on the eService path only (the label says so).
        self.fields["code_ephoto"].required = self.mode == EPHOTO
        self.fields["code_ephoto"].widget.attrs.update(
            {
                "data-label": str(self.fields["code_ephoto"].label),
                "data-optional": " " + str(_("(Optional)")),
            }
        )
        self.fields["code_ephoto"].error_messages["required"] = _(
            "Saisissez votre code « photo numérique », ou choisissez une autre façon de "
            "fournir votre photo."
        )

    def _mode(self) -> str:
        source = self.data if self.is_bound else (self.initial or {})
        mode = source.get("mode_photo")
        if mode in (EPHOTO, PLUS_TARD, TALON):
            return mode
        # Answers or posts without the choice (older drafts): read the code.
        if self.is_bound:
            mode = EPHOTO if compact(source.get("code_ephoto")) else PLUS_TARD
            self.data = self.data.copy()
            self.data["mode_photo"] = mode
        else:
            mode = photo_mode({"photo": source}) if source else EPHOTO
            self.initial = {**(self.initial or {}), "mode_photo": mode}
        return mode

    def clean_code_ephoto(self):
        from .services import check_ephoto_code

        code = compact(self.cleaned_data["code_ephoto"])
        if self.mode == TALON:
            return ""
        if self.blocked:
            raise ValidationError(BLOCKED_MESSAGE % {"date": self.deadline.strftime("%d/%m/%Y")})
        if not code:
            return ""
        check = check_ephoto_code(code)
        if not check.ok:
            raise ValidationError(check.error, code="ephoto")
        return check.code

    def clean(self):
        data = super().clean()
        if self.mode == TALON:
            # The paper slip replaces the code: no code, no 15-day delay.
            data["code_ephoto"] = ""
            data["sans_code_depuis"] = None
            return data
        if data.get("code_ephoto") and self.mode == PLUS_TARD:
            data["mode_photo"] = EPHOTO  # the code came after all
        if "code_ephoto" in data:
            if data["code_ephoto"]:
                data["sans_code_depuis"] = None
            else:
                stored = ((self.demarche.answers or {}).get("photo") or {}) if self.demarche else {}
                data["sans_code_depuis"] = stored.get("sans_code_depuis") or (
                    timezone.localdate().isoformat()
                )
        return data

    @property
    def code_display(self) -> str:
        code = (self.initial or {}).get("code_ephoto")
        return format_ephoto_code(code) if code else ""


# --- Loss declaration (motif "perte") ---------------------------------------------


class DeclarationPerteForm(DsfrBaseForm):
    date_perte = PastDateField(
        label=_("Date de la perte (ou date à laquelle vous l’avez constatée)"),
        help_text=_("Format attendu : JJ/MM/AAAA"),
        future_message=_("La date de la perte doit être une date passée."),
    )
    lieu_perte = forms.CharField(
        label=_("Lieu de la perte (commune, ou « inconnu »)"), max_length=120
    )
    circonstances = forms.CharField(
        label=_("Circonstances de la perte"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attestation = forms.BooleanField(
        label=_(
            "Je déclare sur l’honneur avoir perdu mon permis de conduire dans les "
            "circonstances indiquées ci-dessus. Je sais qu’une fausse déclaration est "
            "punie par la loi (articles 441-6 et 441-7 du code pénal)."
        ),
        error_messages={"required": _("Cochez la déclaration sur l’honneur pour continuer.")},
    )

    def __init__(self, *args, **kwargs):
        _demarche_kwarg(kwargs)
        super().__init__(*args, **kwargs)


# --- Step 6: paiement ----------------------------------------------------------------


def stamp_holder(demarche) -> str:
    return f"demarche:{demarche.number}"


class PaiementForm(DsfrBaseForm):
    """The 16-digit number of a 25 € stamp "Permis de conduire après perte ou
    vol". Validation only checks the stamp (validation writes nothing; it
    may run again at submission); saving the step reserves it
    (`procedure._on_payment_saved`). The refusal shown is the stamp service's
    own message (unknown, used, expired, other purpose...)."""

    numero_timbre = forms.CharField(
        label=_("Numéro du timbre fiscal électronique"),
        help_text=_("16 chiffres, tels qu’indiqués sur votre timbre"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Saisissez le numéro de votre timbre fiscal ou achetez-en un.")
        },
    )

    def __init__(self, *args, **kwargs):
        self.demarche = _demarche_kwarg(kwargs)
        super().__init__(*args, **kwargs)

    def clean_numero_timbre(self):
        from titres.paiements.enums import StampPurpose
        from titres.paiements.services import StampError, check_stamp

        number = self.cleaned_data["numero_timbre"]
        demarche = self.demarche
        if demarche is None or not demarche.is_draft:
            # Read-only contexts (récapitulatif of a submitted file).
            return "".join(number.split())
        try:
            stamp = check_stamp(
                number=number,
                purpose=StampPurpose.PERMIS_PERTE_VOL,
                holder=stamp_holder(demarche),
            )
        except StampError as error:
            raise ValidationError(error.messages[0], code=error.code)
        return stamp.number

    @property
    def shop_url(self) -> str:
        from titres.paiements.enums import StampPurpose

        back = reverse("permis:stamp_return", args=[self.demarche.number])
        return (
            reverse("paiements:boutique")
            + "?"
            + urlencode({"motif": StampPurpose.PERMIS_PERTE_VOL, "next": back})
        )
