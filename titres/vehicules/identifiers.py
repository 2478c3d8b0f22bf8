"""The other identifiers printed on a registration certificate: the VIN
(field E), the numéro de formule (SIV certificates) and a company
holder's SIRET."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret as stdnum_siret

VIN_LENGTH = 17
_VIN_CHARS = re.compile(r"^[A-Z0-9]+$")
FORMULE_RE = re.compile(r"^\d{2,4}[A-Z]{2}\d{5}$")

VIN_MESSAGES = {
    "length": _("Le numéro d’identification (VIN, champ E) comporte exactement 17 caractères."),
    "characters": _("Le numéro VIN ne contient que des lettres et des chiffres."),
    "letters": _("Le numéro VIN ne contient jamais les lettres I, O et Q."),
}
FORMULE_MESSAGE = _(
    "Le numéro de formule comporte 2 à 4 chiffres, 2 lettres puis 5 chiffres (par exemple "
    "2019AB12345)."
)


def normalise_vin(value: str | None) -> str:
    return re.sub(r"[\s\-]+", "", value or "").upper()


def validate_vin(value: str) -> None:
    vin = normalise_vin(value)
    if len(vin) != VIN_LENGTH:
        raise ValidationError(VIN_MESSAGES["length"], code="vin_length")
    if not _VIN_CHARS.match(vin):
        raise ValidationError(VIN_MESSAGES["characters"], code="vin_characters")
    if any(char in "IOQ" for char in vin):
        raise ValidationError(VIN_MESSAGES["letters"], code="vin_letters")


def normalise_formule(value: str | None) -> str:
    return re.sub(r"[\s\-]+", "", value or "").upper()


def validate_formule(value: str) -> None:
    if not FORMULE_RE.match(normalise_formule(value)):
        raise ValidationError(FORMULE_MESSAGE, code="formule_format")


SIRET_INVALID = _("Le numéro SIRET n’est pas valide (14 chiffres, clé de contrôle).")


def clean_siret(value: str | None) -> str:
    """A typed SIRET without its spaces, or ValidationError. The check is
    stdnum's: 14 digits with the Luhn key, and La Poste's establishments
    (SIREN 356 000 000, whose SIRETs only have a digit sum multiple of 5)."""
    siret = "".join((value or "").split())
    if siret and not stdnum_siret.is_valid(siret):
        raise ValidationError(SIRET_INVALID, code="siret")
    return siret
