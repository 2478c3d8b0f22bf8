"""The step "Permis étranger" of the exchange: the State or authority that
issued the licence, its number and dates, the French categories it holds
with the date each was obtained, and the start of normal residence in
France. Every rule of the country table is checked here, with the reason."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from .. import request_forms as rf
from ..inscription.categories import table as category_table
from ..models import add_years
from .countries import EEE, OTHER, table

NUMBER_MAX = 30


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, last)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def country_choices(on: date) -> list:
    """Grouped as a person looks for them: EU/EEA, the reciprocity list, then
    "another State" (which is not exchanged: the form says so)."""
    eee, others = [], []
    for code, country in table().countries.items():
        rule = country.rule_on(on)
        (eee if rule is not None and rule.zone == EEE else others).append((code, country.name))
    return [
        ("", gettext_lazy("Sélectionnez le pays ou l’autorité")),
        (gettext_lazy("Union européenne et Espace économique européen"), sorted(eee, key=_key)),
        (gettext_lazy("Autres États et autorités"), sorted(others, key=_key)),
        (OTHER, gettext_lazy("Un autre État ou une autre autorité")),
    ]


def _key(choice):
    from titres.core.normalisation import normalise_name

    return normalise_name(choice[1])


def category_field(code: str) -> str:
    return f"date_{code}"


class ForeignLicenceForm(DsfrBaseForm):
    pays = forms.ChoiceField(label=gettext_lazy("État ou autorité qui a délivré le permis"))
    numero = forms.CharField(label=gettext_lazy("Numéro du permis étranger"), max_length=NUMBER_MAX)
    date_delivrance = rf.PastDateField(
        label=gettext_lazy("Date de délivrance du permis"),
        help_text=gettext_lazy("Format attendu : JJ/MM/AAAA"),
        future_message=gettext_lazy("La date de délivrance doit être une date passée."),
    )
    date_fin_validite = forms.DateField(
        label=gettext_lazy("Fin de validité du permis"),
        help_text=gettext_lazy("Si le permis en indique une. Format attendu : JJ/MM/AAAA"),
        required=False,
        input_formats=rf.DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "JJ/MM/AAAA"}),
        error_messages={
            "invalid": gettext_lazy(
                "Saisissez une date réelle au format JJ/MM/AAAA, par exemple 01/01/1956."
            )
        },
    )
    date_installation = rf.PastDateField(
        label=gettext_lazy("Date d’installation en France"),
        help_text=gettext_lazy(
            "Début de votre résidence normale en France ; pour un ressortissant d’un État hors "
            "de l’Union européenne, début de validité du premier titre de séjour. "
            "Format attendu : JJ/MM/AAAA"
        ),
        future_message=gettext_lazy("La date d’installation doit être une date passée."),
    )
    residence_normale = forms.BooleanField(
        label=gettext_lazy(
            "J’atteste avoir ma résidence normale en France : j’y demeure au moins 185 jours "
            "par année civile."
        ),
        error_messages={
            "required": gettext_lazy(
                "L’échange est réservé aux personnes qui ont leur résidence normale en France."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        from ..inscription.rules import filing_day

        self.demarche = kwargs.pop("demarche", None)
        super().__init__(*args, **kwargs)
        self.day = filing_day(self.demarche)
        self.fields["pays"].choices = country_choices(self.day)
        for code, entry in category_table().categories.items():
            self.fields[category_field(code)] = rf.PastDateField(
                label=entry.label,
                help_text=gettext_lazy("Date d’obtention, format JJ/MM/AAAA"),
                required=False,
                future_message=gettext_lazy("La date d’obtention doit être une date passée."),
            )

    @property
    def licence_fields(self):
        return [self[name] for name in ("pays", "numero", "date_delivrance", "date_fin_validite")]

    @property
    def category_fields(self):
        return [self[category_field(code)] for code in category_table().categories]

    @property
    def residence_fields(self):
        return [self["date_installation"], self["residence_normale"]]

    @property
    def sources(self) -> dict:
        rules = table()
        return {
            "eee": rules.eee_source,
            "reciprocite": rules.reciprocite_source,
            "delay": rules.delay_source,
            "residence": rules.residence_source,
            "list": rules.list_source,
        }

    def clean_numero(self):
        return " ".join(self.cleaned_data["numero"].split()).upper()

    def clean(self):
        data = super().clean()
        code = data.get("pays")
        if not code:
            return data
        rule = None if code == OTHER else table().rule(code, self.day)
        name = table().countries[code].name if code in table().countries else ""
        if rule is None or not rule.exchanges:
            self.add_error("pays", not_exchanged_message(name))
            return data
        held = {
            c: data[category_field(c)]
            for c in category_table().categories
            if data.get(category_field(c))
        }
        if not held and not any(
            self.has_error(category_field(c)) for c in category_table().categories
        ):
            raise ValidationError(
                _("Indiquez la date d’obtention d’au moins une catégorie du permis.")
            )
        issued = data.get("date_delivrance")
        for category, day in held.items():
            if category not in rule.categories:
                self.add_error(
                    category_field(category),
                    _(
                        "Le permis délivré par « %(country)s » n’est échangé que pour les "
                        "catégories %(allowed)s : la catégorie %(category)s ne peut pas être "
                        "échangée."
                    )
                    % {
                        "country": name,
                        "allowed": ", ".join(rule.categories),
                        "category": category,
                    },
                )
            if issued and day > issued:
                self.add_error(
                    category_field(category),
                    _(
                        "La catégorie %(category)s ne peut pas avoir été obtenue après la "
                        "délivrance du permis (%(date)s)."
                    )
                    % {"category": category, "date": issued.strftime("%d/%m/%Y")},
                )
            # A trailer or heavy category rests on its base category; the
            # progressive access to A (A2 held two years) is a French path
            # to the exam, not a condition on a licence obtained abroad.
            category_rule = category_table().rule(category, self.day)
            requires = () if category_rule.requires_held_years else category_rule.requires
            if requires and not any(r in held for r in requires):
                self.add_error(
                    category_field(category),
                    _(
                        "La catégorie %(category)s suppose la catégorie %(required)s : "
                        "indiquez aussi sa date d’obtention."
                    )
                    % {"category": category, "required": str(_(" ou ")).join(requires)},
                )
        if issued and rule.issued_before and issued >= rule.issued_before:
            self.add_error(
                "date_delivrance",
                _("Seuls les permis délivrés par « %(country)s » avant le %(date)s sont échangés.")
                % {"country": name, "date": rule.issued_before.strftime("%d/%m/%Y")},
            )
        end = data.get("date_fin_validite")
        if end and end < self.day:
            self.add_error(
                "date_fin_validite",
                _("Ce permis n’est plus valable depuis le %(date)s : il ne peut pas être échangé.")
                % {"date": end.strftime("%d/%m/%Y")},
            )
        installed = data.get("date_installation")
        if rule.zone != EEE and installed:
            deadline = add_months(installed, table().delay_months)
            if deadline < self.day:
                self.add_error(
                    "date_installation",
                    _(
                        "Hors Union européenne, un permis n’est reconnu en France que pendant un "
                        "an après l’installation : la demande d’échange devait être déposée au "
                        "plus tard le %(date)s."
                    )
                    % {"date": deadline.strftime("%d/%m/%Y")},
                )
            if issued and issued >= installed:
                self.add_error(
                    "date_delivrance",
                    _(
                        "Hors Union européenne, seul un permis obtenu avant l’installation en "
                        "France (le %(date)s) peut être échangé."
                    )
                    % {"date": installed.strftime("%d/%m/%Y")},
                )
        return data


def not_exchanged_message(name: str) -> str:
    if name:
        return _(
            "Les permis délivrés par « %(country)s » ne sont pas échangés contre un permis "
            "français (pas d’accord de réciprocité). Pour conduire en France au-delà d’un an "
            "de résidence, il faut passer l’examen du permis de conduire français."
        ) % {"country": name}
    return _(
        "Les permis délivrés par un État ou une autorité absents de la liste ne sont pas "
        "échangés contre un permis français (pas d’accord de réciprocité). Pour conduire en "
        "France au-delà d’un an de résidence, il faut passer l’examen du permis de conduire "
        "français."
    )


def held_categories(answers: dict) -> dict[str, date]:
    """{category: date obtained} declared in the answers (ISO strings)."""
    step = (answers or {}).get("permis_etranger") or {}
    result = {}
    for code in category_table().categories:
        value = step.get(category_field(code))
        if value:
            result[code] = date.fromisoformat(str(value))
    return result


def probation_start(obtained: dict[str, date], on: date) -> date | None:
    """A licence obtained less than three years ago keeps the rest of its
    probationary period once exchanged (from its first category)."""
    if not obtained:
        return None
    first = min(obtained.values())
    return first if add_years(first, 3) > on else None
