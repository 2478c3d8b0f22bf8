"""Formats of the identifiers of the driving licence domain.

NEPH (numéro de dossier du permis, "Numéro d'Enregistrement Préfectoral
Harmonisé"), as modelled here: 12 digits
    AA DD SSSSSSS C
    AA       two last digits of the year the file was opened
    DD       département that opened it (Corsica 20, overseas 97)
    SSSSSSS  sequence number within the national file
    C        Luhn check digit over the first 11 digits
The check digit lets a form refuse a mistyped number before any look-up.
It is displayed in groups "AADD SSSS SSSC" and typed with or without spaces.

Title number (numéro du titre, printed on the card): 2 digits (year of
issue), 2 letters, 5 digits, e.g. "16AB12345".

E-photo code ("code photo numérique"): 22 characters from 0-9A-Z,
    21 random characters (about 108 bits, unguessable)
    + 1 check character, ISO 7064 MOD 37,36 (python-stdnum)
displayed in groups of 4 ("ABCD EFGH IJKL MNOP QRST UV"); typed in any case,
with or without spaces or dashes. MOD 37,36 detects every single-character
error and almost every transposition of adjacent characters (it misses
about 1.5 in 1,000).
"""

import re
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import luhn
from stdnum.iso7064 import mod_37_36

NEPH_LENGTH = 12
EPHOTO_CODE_LENGTH = 22
EPHOTO_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SPACING = re.compile(r"[\s\-.]+")


def compact(value: str | None) -> str:
    return _SPACING.sub("", value or "").upper()


# --- NEPH ------------------------------------------------------------------


def neph_is_valid(value: str | None) -> bool:
    neph = compact(value)
    return len(neph) == NEPH_LENGTH and neph.isdigit() and luhn.is_valid(neph)


def cleaned_neph(value: str | None, *, required: bool = True) -> str:
    """A NEPH as a form field's `clean_neph` returns it: compacted, or the
    forms' one French message when it is not a valid one ("" accepted when
    not `required`)."""
    neph = compact(value)
    if (neph or required) and not neph_is_valid(neph):
        raise ValidationError(
            _("Le numéro de dossier (NEPH) doit comporter 12 chiffres et être valide.")
        )
    return neph


def make_neph(*, year: int, departement: str, sequence: int) -> str:
    """Build a NEPH from its parts (the check digit is computed)."""
    dept = departement.upper()
    if dept in {"2A", "2B"}:
        dept = "20"
    dept = dept[:2].zfill(2)
    body = f"{year % 100:02d}{dept}{sequence:07d}"
    if len(body) != NEPH_LENGTH - 1 or not body.isdigit():
        raise ValueError(f"NEPH impossible : {body}")
    return body + luhn.calc_check_digit(body)


def format_neph(value: str) -> str:
    neph = compact(value)
    return f"{neph[:4]} {neph[4:8]} {neph[8:]}" if len(neph) == NEPH_LENGTH else neph


# --- E-photo code ----------------------------------------------------------


def new_ephoto_code() -> str:
    body = "".join(secrets.choice(EPHOTO_ALPHABET) for _ in range(EPHOTO_CODE_LENGTH - 1))
    return body + mod_37_36.calc_check_digit(body)


def ephoto_code_is_well_formed(value: str | None) -> bool:
    code = compact(value)
    return (
        len(code) == EPHOTO_CODE_LENGTH
        and all(char in EPHOTO_ALPHABET for char in code)
        and mod_37_36.is_valid(code)
    )


def format_ephoto_code(value: str) -> str:
    code = compact(value)
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
