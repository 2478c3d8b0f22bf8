from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .enums import Status
from .services import MAX_MESSAGE_LENGTH


class SearchForm(DsfrBaseForm):
    q = forms.CharField(label=_("Numéro de démarche"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous les statuts")), *Status.choices],
    )


class UploadForm(DsfrBaseForm):
    file = forms.FileField(label=_("Joindre un fichier"))


class MessageForm(DsfrBaseForm):
    body = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_MESSAGE_LENGTH,
    )


class ComplementForm(DsfrBaseForm):
    body = forms.CharField(
        label=_("Votre réponse au service instructeur"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_MESSAGE_LENGTH,
        required=False,
    )
