from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .selectors import QUERY_MAX_CHARS


class SearchForm(DsfrBaseForm):
    q = forms.CharField(
        label=_("Rechercher dans l’aide"),
        max_length=QUERY_MAX_CHARS,
        help_text=_("Par exemple : timbre, perte du permis, carte grise"),
        error_messages={
            "required": _("Saisissez un ou plusieurs mots à rechercher."),
            "max_length": _("Saisissez %(limit_value)d caractères au plus."),
        },
    )

    def clean_q(self):
        value = " ".join(self.cleaned_data["q"].split())
        from .selectors import query_words

        if not query_words(value):
            raise forms.ValidationError(_("Saisissez au moins un mot de deux lettres."))
        return value
