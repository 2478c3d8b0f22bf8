import re
import string

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import siret


class CnilPasswordValidator:
    """CNIL 2022 recommendation (délibération 2022-100), first example:
    at least 12 characters mixing upper case, lower case, digits and
    special characters. Common passwords are refused by Django's
    CommonPasswordValidator, listed after this one."""

    min_length = 12

    def validate(self, password, user=None):
        kinds = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() and not c.isspace() or c in string.punctuation for c in password),
        ]
        if len(password) < self.min_length or not all(kinds):
            raise ValidationError(self.message(), code="password_too_weak")

    def message(self):
        return _(
            "Votre mot de passe doit contenir au moins 12 caractères, dont au moins une "
            "majuscule, une minuscule, un chiffre et un caractère spécial."
        )

    def get_help_text(self):
        return self.message()


# --- French identifiers --------------------------------------------------------

PHONE_ERROR = gettext_lazy(
    "Saisissez un numéro de téléphone français à 10 chiffres (exemple : 06 12 34 56 78)."
)
SIRET_REQUIRED = gettext_lazy("Le numéro SIRET est obligatoire pour une personne morale.")
SIRET_INVALID = gettext_lazy(
    "Ce numéro SIRET n’est pas valide : il doit comporter 14 chiffres et sa clé de contrôle "
    "doit être exacte."
)
APPROVAL_REQUIRED = gettext_lazy("Le numéro d’agrément est obligatoire pour ce profil.")
ORGANISATION_REQUIRED = gettext_lazy("La raison sociale est obligatoire pour ce profil.")

# Approval numbers (numéros d'agrément) of driving schools and road-safety
# awareness centres, as printed on prefectoral orders: a letter (E for an
# école de conduite, R for a centre de sensibilisation à la sécurité
# routière), the two last digits of the year of approval, the department on
# three characters (001 to 095, 02A, 02B, 971 to 976), a four-digit serial
# number and a one-digit suffix. Example: "E 02 075 0001 0". Spaces are
# optional when typed; stored with them.
_APPROVAL_RE = re.compile(
    r"^(?P<letter>[ER])(?P<year>\d{2})(?P<dept>0\d{2}|02A|02B|97[1-6])(?P<serial>\d{4})(?P<suffix>\d)$"
)
APPROVAL_LETTERS = {"auto_ecole": "E", "centre_sensibilisation": "R"}
APPROVAL_EXAMPLES = {"auto_ecole": "E 02 075 0001 0", "centre_sensibilisation": "R 13 013 0004 0"}


def normalise_phone(value: str) -> str:
    """Return the E.164 form of a French 10-digit number, or raise."""
    digits = re.sub(r"[\s.\-]", "", value or "")
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        raise ValidationError(PHONE_ERROR, code="invalid_phone")
    try:
        number = phonenumbers.parse(digits, "FR")
    except phonenumbers.NumberParseException:
        raise ValidationError(PHONE_ERROR, code="invalid_phone")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(PHONE_ERROR, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_phone(value: str) -> str:
    """06 12 34 56 78 for display."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def normalise_siret(value: str) -> str:
    compact = siret.compact(value or "")
    if not compact:
        raise ValidationError(SIRET_REQUIRED, code="required")
    try:
        return siret.validate(compact)
    except StdnumValidationError:
        raise ValidationError(SIRET_INVALID, code="invalid_siret")


def approval_error(profile: str) -> str:
    return _(
        "Le numéro d’agrément doit avoir la forme %(letter)s AA DDD NNNN C (exemple : %(example)s)."
    ) % {"letter": APPROVAL_LETTERS[profile], "example": APPROVAL_EXAMPLES[profile]}


def normalise_approval_number(value: str, profile: str) -> str:
    compact = re.sub(r"[\s.\-]", "", value or "").upper()
    if not compact:
        raise ValidationError(APPROVAL_REQUIRED, code="required")
    match = _APPROVAL_RE.match(compact)
    if not match or match["letter"] != APPROVAL_LETTERS[profile]:
        raise ValidationError(approval_error(profile), code="invalid_approval_number")
    return " ".join(match.group("letter", "year", "dept", "serial", "suffix"))
