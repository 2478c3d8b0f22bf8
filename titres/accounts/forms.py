import re

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .captcha import IMAGE_MODE, make_captcha_field
from .enums import Profile, SecretQuestion, Sex
from .identifiers import email_key, identifier_key
from .models import MairieAccountRequest, User
from .validators import (
    ORGANISATION_REQUIRED,
    national_phone,
    normalise_approval_number,
    normalise_phone,
    normalise_siret,
)

USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{3,30}$")
USERNAME_INVALID = _(
    "L’identifiant doit comporter de 3 à 30 caractères : lettres sans accent, chiffres, "
    "point, tiret ou tiret bas."
)
USERNAME_TAKEN = _("Cet identifiant est déjà utilisé. Veuillez en choisir un autre.")
TERMS_REQUIRED = _(
    "Vous devez accepter les conditions générales d’utilisation et les règles de "
    "confidentialité pour créer votre compte."
)
CURRENT_PASSWORD_REQUIRED = _(
    "Saisissez votre mot de passe actuel pour changer d’adresse e-mail ou de réponse à la "
    "question secrète."
)
CURRENT_PASSWORD_WRONG = _("Mot de passe actuel incorrect.")
PASSWORD_MISMATCH = _("Les deux mots de passe ne correspondent pas.")
PRO_SIV_REFUSED = _(
    "Les professionnels de l’automobile habilités SIV ne créent pas leur compte eux-mêmes : "
    "il est créé à partir de l’habilitation délivrée par votre préfecture, et la procédure "
    "de connexion vous est envoyée par courriel."
)
MAIRIE_REFUSED = _(
    "Les mairies équipées d’un dispositif de recueil demandent la création de leur compte "
    "avec le formulaire de contact dédié."
)

PROFILE_FIELDS = {
    "organisation_name": (
        Profile.AUTO_ECOLE,
        Profile.CENTRE_SENSIBILISATION,
        Profile.PERSONNE_MORALE,
    ),
    "approval_number": (Profile.AUTO_ECOLE, Profile.CENTRE_SENSIBILISATION),
    "siret": (Profile.PERSONNE_MORALE,),
}


class TitresForm(DsfrBaseForm):
    """DSFR form without django-dsfr's deprecation warning at every render
    (required fields keep their "*" marker until the project sets
    DSFR_MARK_OPTIONAL_FIELDS)."""

    def get_context(self):
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = False
        return context


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value) if value else value

    def prepare_value(self, value):
        return national_phone(value) if value and str(value).startswith("+") else value


def _validate_new_password(form, password, user):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        form.add_error("password1", error)


class SignupForm(TitresForm):
    """The account creation form, field by field as seed 002."""

    profile = forms.ChoiceField(
        label=_("Profil principal"),
        choices=Profile.choices,
        initial=Profile.PARTICULIER,
    )
    username = forms.CharField(
        label=_("Identifiant"),
        help_text=_(
            "Veuillez définir un identifiant pour votre compte : de 3 à 30 caractères, "
            "lettres sans accent, chiffres, point, tiret ou tiret bas."
        ),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices, widget=forms.RadioSelect)
    phone = PhoneField(
        label=_("Téléphone (n° à 10 chiffres)"), help_text=_("Exemple : 06 12 34 56 78")
    )
    organisation_name = forms.CharField(
        label=_("Raison sociale"),
        help_text=_(
            "Écoles de conduite, centres de sensibilisation à la sécurité routière et "
            "personnes morales."
        ),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    approval_number = forms.CharField(
        label=_("Numéro d’agrément"),
        help_text=_(
            "Écoles de conduite (exemple : E 02 075 0001 0) et centres de sensibilisation "
            "(exemple : R 13 013 0004 0)."
        ),
        max_length=40,
        required=False,
    )
    siret = forms.CharField(
        label=_("Numéro SIRET"),
        help_text=_("Personnes morales : 14 chiffres (exemple : 732 829 320 00074)."),
        max_length=20,
        required=False,
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        help_text=_(
            "Au moins 12 caractères, dont au moins une majuscule, une minuscule, un chiffre "
            "et un caractère spécial."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    secret_question = forms.ChoiceField(label=_("Question secrète"), choices=SecretQuestion.choices)
    secret_answer = forms.CharField(
        label=_("Réponse à votre question secrète"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    accept_terms = forms.BooleanField(
        label=_(
            "J’accepte les conditions générales d’utilisation et les règles de confidentialité"
        ),
        error_messages={"required": TERMS_REQUIRED},
    )

    def __init__(self, *args, captcha_mode=IMAGE_MODE, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["captcha"] = make_captcha_field(captcha_mode, request)
        # The DSFR classes are set in DsfrBaseForm.__init__, before the captcha existed.
        self.fields["captcha"].widget.attrs.setdefault("class", "fr-input")
        self.fields["captcha"].label_suffix = ""

    def clean_profile(self):
        profile = self.cleaned_data["profile"]
        if profile == Profile.PRO_SIV:
            raise ValidationError(PRO_SIV_REFUSED, code="no_self_signup")
        if profile == Profile.MAIRIE:
            raise ValidationError(MAIRIE_REFUSED, code="no_self_signup")
        return profile

    # Set by clean(): the address already has an account. The form stays
    # valid and the view mails that address instead of telling the visitor
    # (security review: sign-up must not reveal which addresses have an account).
    email_taken = False

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not USERNAME_RE.match(username):
            raise ValidationError(USERNAME_INVALID, code="invalid")
        return username

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"].strip())

    def clean(self):
        data = super().clean()
        # Whether an identifier or an address exists is only looked up once
        # the CAPTCHA is solved: a wrong answer learns nothing.
        if "captcha" not in self.errors:
            username, email = data.get("username"), data.get("email")
            if username and User.objects.filter(username_key=identifier_key(username)).exists():
                self.add_error("username", ValidationError(USERNAME_TAKEN, code="taken"))
            if email and User.objects.filter(email_key=email_key(email)).exists():
                self.email_taken = True
        profile = data.get("profile")
        if (
            profile in PROFILE_FIELDS["organisation_name"]
            and not data.get("organisation_name", "").strip()
        ):
            self.add_error("organisation_name", ORGANISATION_REQUIRED)
        if profile not in PROFILE_FIELDS["organisation_name"]:
            data["organisation_name"] = ""
        if profile in PROFILE_FIELDS["approval_number"]:
            try:
                data["approval_number"] = normalise_approval_number(
                    data.get("approval_number", ""), profile
                )
            except ValidationError as error:
                self.add_error("approval_number", error)
        else:
            data["approval_number"] = ""
        if profile in PROFILE_FIELDS["siret"]:
            try:
                data["siret"] = normalise_siret(data.get("siret", ""))
            except ValidationError as error:
                self.add_error("siret", error)
        else:
            data["siret"] = ""
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", PASSWORD_MISMATCH)
        elif password1:
            candidate = User(
                username=data.get("username", ""),
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            _validate_new_password(self, password1, candidate)
        return data


class LoginForm(TitresForm):
    username = forms.CharField(
        label=_("Identifiant"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    ERROR_ID = "login-error"

    def add_error(self, field, error):
        super().add_error(field, error)
        if field is None:
            # "Identifiant ou mot de passe incorrect" concerns both fields:
            # each one points to it, so a screen reader reads it on focus.
            for name in ("username", "password"):
                attrs = self.fields[name].widget.attrs
                attrs["aria-describedby"] = self.ERROR_ID
                attrs["aria-invalid"] = "true"


class EmailForm(TitresForm):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordResetRequestForm(TitresForm):
    identifier = forms.CharField(
        label=_("Identifiant ou adresse e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class SetPasswordForm(TitresForm, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(TitresForm, auth_forms.PasswordChangeForm):
    pass


class ContactDetailsForm(TitresForm):
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    sex = forms.ChoiceField(
        label=_("Sexe"), choices=Sex.choices, widget=forms.RadioSelect, required=False
    )
    phone = PhoneField(
        label=_("Téléphone (n° à 10 chiffres)"), help_text=_("Exemple : 06 12 34 56 78")
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_(
            "Si vous changez d’adresse, un lien de confirmation est envoyé à la nouvelle "
            "adresse ; le changement prend effet quand vous cliquez sur ce lien."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation_name = forms.CharField(label=_("Raison sociale"), max_length=200, required=False)
    secret_question = forms.ChoiceField(
        label=_("Question secrète"), choices=SecretQuestion.choices, required=False
    )
    secret_answer = forms.CharField(
        label=_("Nouvelle réponse à la question secrète"),
        help_text=_("Laissez vide pour conserver votre question et votre réponse actuelles."),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    current_password = forms.CharField(
        label=_("Mot de passe actuel"),
        help_text=_(
            "Obligatoire pour changer d’adresse e-mail ou de réponse à la question secrète."
        ),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault(
            "initial",
            {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "sex": user.sex,
                "phone": user.phone,
                "email": user.email,
                "organisation_name": user.organisation_name,
                "secret_question": user.secret_question,
            },
        )
        super().__init__(*args, **kwargs)
        if user.profile == Profile.PARTICULIER:
            del self.fields["organisation_name"]
        if not user.has_usable_password():
            # An account opened with FranceConnect has no password to give.
            del self.fields["current_password"]

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        sensitive = bool(cleaned.get("secret_answer")) or (
            email is not None and email_key(email) != self.user.email_key
        )
        if sensitive and "current_password" in self.fields:
            password = cleaned.get("current_password") or ""
            if not password:
                self.add_error("current_password", CURRENT_PASSWORD_REQUIRED)
            elif not self.user.check_password(password):
                self.add_error("current_password", CURRENT_PASSWORD_WRONG)
        return cleaned

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"].strip())
        if (
            email_key(email) != self.user.email_key
            and User.objects.filter(email_key=email_key(email)).exclude(pk=self.user.pk).exists()
        ):
            raise ValidationError(
                _("Cette adresse e-mail est déjà utilisée par un autre compte."), code="taken"
            )
        return email


class DeleteAccountForm(TitresForm):
    password = forms.CharField(
        label=_("Mot de passe"),
        help_text=_("Saisissez votre mot de passe pour confirmer la suppression."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("Je comprends que mon compte et mes données seront supprimés définitivement."),
        error_messages={
            "required": _("Cochez la case pour confirmer la suppression de votre compte.")
        },
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("Mot de passe incorrect."), code="wrong_password")
        return password


class TermsAcceptForm(TitresForm):
    accept = forms.BooleanField(
        label=_("J’ai lu et j’accepte cette version des conditions générales d’utilisation"),
        error_messages={
            "required": _(
                "Vous devez accepter les conditions générales d’utilisation pour continuer."
            )
        },
    )


class MairieRequestForm(TitresForm, forms.ModelForm):
    class Meta:
        model = MairieAccountRequest
        fields = [
            "commune",
            "insee_code",
            "department",
            "dr_count",
            "contact_first_name",
            "contact_last_name",
            "email",
            "phone",
            "message",
        ]
        labels = {
            "commune": _("Commune"),
            "insee_code": _("Code INSEE de la commune"),
            "department": _("Département"),
            "dr_count": _("Nombre de dispositifs de recueil (DR)"),
            "contact_first_name": _("Prénom de la personne à contacter"),
            "contact_last_name": _("Nom de la personne à contacter"),
            "email": _("Adresse e-mail de la mairie"),
            "phone": _("Téléphone (n° à 10 chiffres)"),
            "message": _("Message (facultatif)"),
        }
        help_texts = {
            "insee_code": _("5 caractères, exemple : 75056 ou 2A004"),
            "department": _("Exemple : 08, 2A, 974"),
            "email": _("Adresse accessible où la procédure de connexion au compte sera envoyée."),
        }

    phone = PhoneField(label=_("Téléphone (n° à 10 chiffres)"))

    def __init__(self, *args, captcha_mode=IMAGE_MODE, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dr_count"].min_value = 1
        self.fields["dr_count"].widget.attrs["min"] = 1
        self.fields["captcha"] = make_captcha_field(captcha_mode, request)
        self.fields["captcha"].widget.attrs.setdefault("class", "fr-input")
        self.fields["captcha"].label_suffix = ""

    def clean_insee_code(self):
        code = self.cleaned_data["insee_code"].strip().upper()
        if not re.fullmatch(r"(\d{5}|2[AB]\d{3})", code):
            raise ValidationError(
                _("Le code INSEE comporte 5 caractères (exemple : 75056 ou 2A004)."),
                code="invalid",
            )
        return code

    def clean_department(self):
        department = self.cleaned_data["department"].strip().upper()
        if not re.fullmatch(r"(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])", department):
            raise ValidationError(
                _("Département inconnu (exemples : 08, 2A, 974)."), code="invalid"
            )
        return department

    def clean_dr_count(self):
        count = self.cleaned_data["dr_count"]
        if count < 1:
            raise ValidationError(
                _("Une mairie doit disposer d’au moins un dispositif de recueil."), code="min"
            )
        return count


# --- Operator forms (Django admin) -------------------------------------------


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la suspension (envoyé à l’usager)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    days = forms.IntegerField(label=_("Durée (jours)"), min_value=1, max_value=365, initial=7)


class MairieAccountForm(forms.Form):
    username = forms.CharField(label=_("Identifiant du compte"), max_length=30)
    dr_count = forms.IntegerField(
        label=_("Nombre de dispositifs de recueil"), min_value=1, max_value=99
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not USERNAME_RE.match(username):
            raise ValidationError(USERNAME_INVALID, code="invalid")
        if User.objects.filter(username_key=identifier_key(username)).exists():
            raise ValidationError(USERNAME_TAKEN, code="taken")
        return username
