from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from titres.procedures.enums import Status
from titres.procedures.hooks import motif_label

from .enums import SortOrder
from .services import reject_reasons


class AgentLoginForm(DsfrBaseForm):
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


class TokenForm(DsfrBaseForm):
    token = forms.CharField(
        label=_("Code à usage unique"),
        help_text=_(
            "6 chiffres affichés par votre application d’authentification, ou un code de secours."
        ),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split())


STATUS_CHOICES = [("", _("Tous"))] + [
    (value, label) for value, label in Status.choices if value != Status.BROUILLON
]
SEX_CHOICES = [("", _("Indifférent")), ("F", _("F")), ("M", _("M"))]


class SearchForm(DsfrBaseForm):
    """Seed 002 "Outil de recherche avancée"."""

    nom = forms.CharField(label=_("Nom"), max_length=100, required=False)
    prenom = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    date_naissance = forms.DateField(
        label=_("Date de naissance"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sexe = forms.ChoiceField(label=_("Sexe"), choices=SEX_CHOICES, required=False)
    reference = forms.CharField(
        label=_("Numéro du dossier ou du titre"),
        help_text=_("NEPH, immatriculation…"),
        max_length=30,
        required=False,
    )
    numero = forms.CharField(label=_("Numéro de demande"), max_length=30, required=False)
    annee = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100, required=False)
    departement = forms.CharField(label=_("Département"), max_length=3, required=False)
    code_postal = forms.CharField(label=_("Code postal"), max_length=5, required=False)
    modifie_du = forms.DateField(
        label=_("Modification : du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    modifie_au = forms.DateField(
        label=_("Modification : au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    statut = forms.ChoiceField(label=_("Statut"), choices=STATUS_CHOICES, required=False)
    motif = forms.ChoiceField(label=_("Motif"), required=False)
    tri = forms.ChoiceField(
        label=_("Trier par"), choices=SortOrder.choices, required=False, initial=SortOrder.ANCIENNES
    )

    def __init__(self, *args, motifs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motif"].choices = [("", _("Tous"))] + [(m, motif_label(m)) for m in motifs]

    def clean(self):
        data = super().clean()
        start, end = data.get("modifie_du"), data.get("modifie_au")
        if start and end and start > end:
            self.add_error("modifie_au", _("La date de fin précède la date de début."))
        return data


class PerFileForm(DsfrBaseForm):
    """A decision form whose fields depend on the file (its panel's question,
    its procedure's reasons), set after DsfrBaseForm's __init__."""

    def fields_changed(self) -> None:
        """DsfrBaseForm's __init__ already built the bound fields (with the
        declared label and choices): build them again from the fields."""
        self._bound_fields_cache.clear()


class ValidateForm(PerFileForm):
    """ "Valider la demande": when the file differs from the registry its
    procedure's agent panel compares it with, the agent must say which data
    is right first (the panel's question and decisions)."""

    decision = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].label = panel.decision_question
        self.fields["decision"].choices = [(d.value, d.label) for d in panel.decision_choices]
        self.fields_changed()


class SuspendForm(DsfrBaseForm):
    body = forms.CharField(
        label=_("Informations ou documents demandés au télédéclarant"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RejectForm(PerFileForm):
    """The reasons are the file's (services.reject_reasons): a licence
    offers the SNPC's, a vehicle the SIV's."""

    reason = forms.ChoiceField(label=_("Motif du rejet"), choices=())
    text = forms.CharField(
        label=_("Précisions (communiquées au télédéclarant)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, demarche, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = reject_reasons(demarche)
        self.fields_changed()


class AssignForm(DsfrBaseForm):
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=None, empty_label=None)

    def __init__(self, *args, agents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents
        self.fields["agent"].label_from_instance = lambda u: u.get_full_name() or u.username


class ActivationCodeForm(DsfrBaseForm):
    activation_code = forms.CharField(
        label=_("Code d’activation"),
        help_text=_("12 caractères remis par votre opérateur, par exemple ABCD-EFGH-JKLM."),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
