from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from titres.accounts.captcha import IMAGE_MODE, make_captcha_field
from titres.core import numbering
from titres.procedures.validation import ACCEPTED_FORMATS

from .enums import Category
from .services import MAX_ATTACHMENT_BYTES

MAX_MESSAGE = 5000


def attachment_help() -> str:
    return gettext(
        "Formats acceptés : %(formats)s. Taille maximale : %(max)s Mo. Une seule pièce jointe."
    ) % {"formats": ACCEPTED_FORMATS, "max": MAX_ATTACHMENT_BYTES // (1024 * 1024)}


class _SenderForm(DsfrBaseForm):
    """Fields shared by the contact and complaint forms: the sender (only
    without an account), the optional attachment and the CAPTCHA (only
    without an account)."""

    def __init__(self, *args, user=None, captcha_mode=IMAGE_MODE, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = bool(user and user.is_authenticated)
        if not self.signed_in:
            self.fields["name"] = forms.CharField(
                label=_("Nom et prénom"), max_length=150, required=False
            )
            self.fields["email"] = forms.EmailField(
                label=_("Adresse e-mail"),
                help_text=_("La réponse et le lien pour suivre votre demande y seront envoyés."),
                max_length=254,
                widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                error_messages={
                    "required": _("Indiquez votre adresse e-mail pour recevoir la réponse."),
                    "invalid": _(
                        "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."
                    ),
                },
            )
            self.fields["captcha"] = make_captcha_field(captcha_mode, request)
            self.fields["captcha"].widget.attrs.setdefault("class", "fr-input")
            self.fields["captcha"].label_suffix = ""
        self.fields["attachment"] = forms.FileField(
            label=_("Pièce jointe"),
            help_text=attachment_help(),
            required=False,
            widget=forms.ClearableFileInput(
                attrs={"accept": ".jpg,.jpeg,.png,.bmp,.tif,.tiff,.pdf"}
            ),
        )

    def clean_demarche_number(self):
        value = self.cleaned_data.get("demarche_number", "")
        if value and not numbering.is_valid(value):
            raise forms.ValidationError(
                _("Ce numéro de démarche n’est pas valide : vérifiez-le sur votre récapitulatif.")
            )
        return numbering.normalize(value) if value else ""


def _subject():
    return forms.CharField(label=_("Objet"), max_length=150)


def _message(label):
    return forms.CharField(
        label=label,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(_("{max} caractères au plus."), max=MAX_MESSAGE),
        error_messages={"required": _("Écrivez votre message.")},
    )


class ContactForm(_SenderForm):
    subject = _subject()
    demarche_number = forms.CharField(label=_("Numéro de la démarche"), max_length=20)
    message = _message(_("Votre message"))

    field_order = [
        "subject",
        "demarche_number",
        "message",
        "name",
        "email",
        "attachment",
        "captcha",
    ]

    def __init__(self, *args, category, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        if category != Category.DEMARCHE:
            del self.fields["demarche_number"]
        else:
            self.fields["demarche_number"].help_text = _(
                "Il figure sur le récapitulatif et dans « Mes démarches »."
            )
        self.order_fields(self.field_order)


class ComplaintForm(_SenderForm):
    subject = _subject()
    event_on = forms.DateField(
        label=_("Date de l’événement"),
        help_text=_("Le jour où l’erreur, le manquement ou le retard s’est produit."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    demarche_number = forms.CharField(
        label=_("Numéro de la démarche concernée"), max_length=20, required=False
    )
    message = _message(_("Les erreurs, manquements ou retards constatés"))

    field_order = [
        "subject",
        "event_on",
        "demarche_number",
        "message",
        "name",
        "email",
        "attachment",
        "captcha",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)

    def clean_event_on(self):
        value = self.cleaned_data["event_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("La date de l’événement ne peut pas être dans le futur."))
        return value


class ReplyForm(DsfrBaseForm):
    body = forms.CharField(
        label=_("Compléter votre demande"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Écrivez votre message avant de l’envoyer.")},
    )
