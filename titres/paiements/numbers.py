"""Stamp numbers: 16 digits, the last one a Luhn check digit."""

import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import luhn

STAMP_NUMBER_LENGTH = 16


def generate_stamp_number() -> str:
    body = str(secrets.randbelow(9) + 1) + "".join(
        str(secrets.randbelow(10)) for _ in range(STAMP_NUMBER_LENGTH - 2)
    )
    return body + luhn.calc_check_digit(body)


def clean_stamp_number(value: str) -> str:
    """Digits only, 16 of them, valid check digit; raises ValidationError
    with the French message shown to the person."""
    digits = "".join(ch for ch in str(value or "") if not ch.isspace() and ch != "-")
    if len(digits) != STAMP_NUMBER_LENGTH or not digits.isdigit():
        raise ValidationError(_("Le numéro de timbre doit comporter 16 chiffres."), code="format")
    if not luhn.is_valid(digits):
        raise ValidationError(
            _("Ce numéro de timbre n’est pas valide (clé de contrôle incorrecte)."),
            code="cle",
        )
    return digits


def clean_card_number(value: str) -> str:
    digits = "".join(ch for ch in str(value or "") if not ch.isspace() and ch != "-")
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        raise ValidationError(_("Le numéro de carte doit comporter de 12 à 19 chiffres."))
    if not luhn.is_valid(digits):
        raise ValidationError(
            _("Ce numéro de carte n’est pas valide (clé de contrôle incorrecte).")
        )
    return digits
