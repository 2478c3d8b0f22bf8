"""The postal code ↔ commune block of the request forms (licence, ID title,
vehicle registration): the two fields and the check that the commune lies
in the postal code, against the communes table (titres/permis/communes.py).

One piece so the three procedures say the same thing in the same words:
the error goes next to the field that is wrong (an unknown or malformed
postal code on the postal code, a commune of another postal code on the
commune), and the commune is stored as the table spells it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .communes import validate_postal_code_commune

# Codes of validate_postal_code_commune that are about the postal code itself.
POSTAL_CODE_ERRORS = frozenset({"postal_code_format", "postal_code_unknown"})


def postal_code_field(**kwargs) -> forms.CharField:
    kwargs.setdefault("label", _("Code postal"))
    return forms.CharField(
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        **kwargs,
    )


def commune_field(**kwargs) -> forms.CharField:
    kwargs.setdefault("label", _("Commune"))
    kwargs.setdefault("help_text", _("La commune doit correspondre au code postal"))
    return forms.CharField(
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
        **kwargs,
    )


def check_postal_commune(form: forms.Form, data: dict, postal_field: str, commune_field: str):
    """The Commune row of `data`'s two fields, or None: nothing to check
    (both empty, or one already refused by its own field) or refused (the
    error is added to the field that is wrong). On success the commune takes
    the table's name."""
    if postal_field not in data or commune_field not in data:
        return None
    postal, commune = data[postal_field], data[commune_field]
    if not postal and not commune:
        return None
    try:
        row = validate_postal_code_commune(postal, commune)
    except ValidationError as error:
        form.add_error(postal_field if error.code in POSTAL_CODE_ERRORS else commune_field, error)
        return None
    data[commune_field] = row.name
    return row


class PostalAddressMixin:
    """For a form with `code_postal` and `commune` fields (declare them with
    postal_code_field() and commune_field(), where the form's order wants
    them): spaces typed in the postal code are dropped, the pair is checked,
    and `self.commune_row` is the Commune found (None otherwise)."""

    commune_row = None

    def clean_code_postal(self):
        return "".join(self.cleaned_data["code_postal"].split())

    def clean(self):
        data = super().clean()
        self.commune_row = check_postal_commune(self, data, "code_postal", "commune")
        return data
