"""Forms of the inscription that the licence request does not have: the
état civil without the current licence's NEPH (a first licence has none)
and the categories sought, checked against the dated table."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .. import request_forms as rf
from .categories import category_choices, category_errors, table
from .rules import birth_date_of, filing_day

MAX_CATEGORIES = 6


class InscriptionEtatCivilForm(rf.EtatCivilForm):
    """The licence request's état civil; a first licence has no NEPH yet
    (the prefecture attributes it on validation)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("neph", None)

    def clean_neph(self):  # pragma: no cover - the field is removed
        return ""


class CategoriesForm(DsfrBaseForm):
    categories = forms.MultipleChoiceField(
        label=_("Catégories demandées"),
        help_text=_("Cochez chaque catégorie que le candidat veut passer."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins une catégorie.")},
    )
    aac = forms.BooleanField(
        label=_("Apprentissage anticipé de la conduite (AAC, conduite accompagnée)"),
        help_text=_("Catégorie B seulement : la formation peut commencer dès 15 ans."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        self.demarche = kwargs.pop("demarche", None)
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = category_choices()

    def rows(self):
        """The table shown beside the choice: minimum age, prerequisite,
        medical opinion and source of the rule in force today."""
        day = filing_day(self.demarche) if self.demarche is not None else None
        from django.utils import timezone

        day = day or timezone.localdate()
        result = []
        for code, entry in table().categories.items():
            rule = entry.rule_on(day)
            result.append(
                {
                    "code": code,
                    "label": entry.label,
                    "min_age": rule.min_age,
                    "aac_min_age": rule.aac_min_age,
                    "requires": rule.requires,
                    "requires_held_years": rule.requires_held_years,
                    "medical": rule.medical,
                    "since": rule.starts,
                    "source": rule.source,
                }
            )
        return result

    def sources(self):
        """(categories, source, in force since) of the rules shown, one
        line per distinct source."""
        grouped: dict[tuple, list[str]] = {}
        for row in self.rows():
            grouped.setdefault((row["source"], row["since"]), []).append(row["code"])
        return [
            {"categories": codes, "source": source, "since": since}
            for (source, since), codes in grouped.items()
        ]

    def clean_categories(self):
        categories = self.cleaned_data["categories"]
        if len(categories) > MAX_CATEGORIES:
            raise ValidationError(
                _("Choisissez au plus %(max)s catégories.") % {"max": MAX_CATEGORIES}
            )
        return categories

    def clean(self):
        data = super().clean()
        categories = data.get("categories") or []
        if data.get("aac") and "B" not in categories:
            self.add_error(
                "aac", _("L’apprentissage anticipé de la conduite concerne la catégorie B.")
            )
        birth = birth_date_of(self.demarche.answers if self.demarche is not None else {})
        if categories and birth is None:
            raise ValidationError(
                _("Renseignez d’abord la date de naissance du candidat (étape « État civil »).")
            )
        if categories and birth is not None:
            for error in category_errors(
                categories,
                birth_date=birth,
                on=filing_day(self.demarche),
                aac=bool(data.get("aac")),
            ):
                self.add_error("categories", error)
        return data
