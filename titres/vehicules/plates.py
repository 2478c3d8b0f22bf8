"""Registration numbers: the SIV series (AB-123-CD, since 2009) and the
old FNI numbers (123 AB 01), their validation with the messages a person
reads, their canonical form for lookups, and the national SIV sequence.

People type the plate "exactement comme il est inscrit sur votre carte
grise" (seed 003). We keep what they typed for display and look vehicles up
by the canonical form (upper case, no spaces or hyphens), so "ab-123-cd",
"AB 123 CD" and "AB-123-CD" find the same vehicle."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .enums import PlateSystem

# I, O and U are never used in SIV numbers (confusion with 1, 0 and V).
SIV_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"
_PAIRS = [a + b for a in SIV_LETTERS for b in SIV_LETTERS]
_PAIR_INDEX = {pair: i for i, pair in enumerate(_PAIRS)}
PAIR_COUNT = len(_PAIRS)  # 529
NUMBERS_PER_PAIR = 999  # 001 to 999
SEQUENCE_LENGTH = PAIR_COUNT * PAIR_COUNT * NUMBERS_PER_PAIR

MAX_TYPED_LENGTH = 20
_ALLOWED_CHARS = re.compile(r"^[A-Za-z0-9\s\-‐‑–]*$")
_SEPARATORS = re.compile(r"[\s\-‐‑–]+")
_SIV = re.compile(r"^([A-Z]{2})(\d{3})([A-Z]{2})$")
_FNI = re.compile(r"^(\d{1,4})([A-Z]{1,3})(\d{2,3}|2A|2B)$")
FNI_DEPARTEMENTS = frozenset(
    [f"{n:02d}" for n in range(1, 96)] + ["2A", "2B"] + [str(n) for n in range(971, 977)]
)

MESSAGES = {
    "characters": _(
        "Le numéro d’immatriculation ne peut contenir que des lettres, des chiffres, "
        "des tirets et des espaces."
    ),
    "format": _(
        "Numéro d’immatriculation invalide : notez-le exactement comme il est inscrit sur "
        "votre carte grise, au format AB-123-CD (SIV) ou 123 AB 01 (FNI)."
    ),
    "siv_letters": _(
        "Les lettres I, O et U ne sont jamais utilisées dans un numéro SIV : vérifiez le "
        "numéro (chiffre 1 ou 0, lettre V ?)."
    ),
    "siv_ss": _("La combinaison de lettres SS n’est jamais attribuée dans le SIV."),
    "siv_zero": _("Le nombre au centre d’un numéro SIV va de 001 à 999."),
    "siv_ww": _(
        "Les numéros commençant par WW sont des immatriculations provisoires : indiquez le "
        "numéro définitif inscrit sur votre carte grise."
    ),
    "siv_w_garage": _(
        "Les numéros commençant par W sont des immatriculations « W garage » réservées aux "
        "professionnels de l’automobile : ils ne font pas l’objet d’un changement de titulaire."
    ),
    "fni_departement": _(
        "Le département d’un numéro FNI (123 AB 01) doit être compris entre 01 et 95, ou "
        "être 2A, 2B ou 971 à 976."
    ),
    "fni_w_garage": _(
        "Les numéros FNI en W (1234 W 75) sont des immatriculations « W garage » réservées "
        "aux professionnels de l’automobile : ils ne font pas l’objet d’un changement de "
        "titulaire."
    ),
}


@dataclass(frozen=True)
class Plate:
    """A valid registration number: its system, canonical and display forms."""

    system: str
    canonical: str
    display: str

    @property
    def is_siv(self) -> bool:
        return self.system == PlateSystem.SIV


def canonical(value: str | None) -> str:
    """Lookup key: upper case without separators ("AB-123-CD" → "AB123CD")."""
    return _SEPARATORS.sub("", (value or "").strip()).upper()


def format_siv(left: str, number: int, right: str) -> str:
    return f"{left}-{number:03d}-{right}"


def display_form(system: str, key: str) -> str:
    """The printed form of a canonical number."""
    if system == PlateSystem.SIV:
        return f"{key[:2]}-{key[2:5]}-{key[5:]}"
    match = _FNI.match(key)
    return " ".join(match.groups()) if match else key


def _error(code: str) -> ValidationError:
    return ValidationError(MESSAGES[code], code=f"plate_{code}")


def parse_plate(value: str | None, *, allow_special: bool = False) -> Plate:
    """Validate what a person typed; raise ValidationError with the French
    message. `allow_special` admits WW and W garage numbers (registry
    administration), refused for a change of holder."""
    typed = (value or "").strip()
    if len(typed) > MAX_TYPED_LENGTH or not _ALLOWED_CHARS.match(typed):
        raise _error("characters")
    key = canonical(typed)
    if match := _SIV.match(key):
        left, number, right = match.groups()
        if any(char in "IOU" for char in left + right):
            raise _error("siv_letters")
        if "SS" in (left, right):
            raise _error("siv_ss")
        if number == "000":
            raise _error("siv_zero")
        if not allow_special and left == "WW":
            raise _error("siv_ww")
        if not allow_special and left.startswith("W"):
            raise _error("siv_w_garage")
        return Plate(PlateSystem.SIV, key, display_form(PlateSystem.SIV, key))
    if match := _FNI.match(key):
        _digits, letters, departement = match.groups()
        if departement not in FNI_DEPARTEMENTS:
            raise _error("fni_departement")
        if not allow_special and letters == "W":
            raise _error("fni_w_garage")
        return Plate(PlateSystem.FNI, key, display_form(PlateSystem.FNI, key))
    raise _error("format")


def validate_plate(value: str) -> None:
    """Django validator form of `parse_plate` (model and form fields)."""
    parse_plate(value, allow_special=True)


# --- The national SIV sequence ---------------------------------------------------
# AA-001-AA, AA-002-AA … AA-999-AA, AA-001-AB … AA-999-ZZ, AB-001-AA …: the
# number turns fastest, then the right pair, then the left pair.


def plate_at(index: int) -> str:
    """The canonical SIV number at position `index` (0 = AA001AA)."""
    if not 0 <= index < SEQUENCE_LENGTH:
        raise ValueError("index outside the SIV sequence")
    pairs, number = divmod(index, NUMBERS_PER_PAIR)
    left, right = divmod(pairs, PAIR_COUNT)
    return f"{_PAIRS[left]}{number + 1:03d}{_PAIRS[right]}"


def index_of(key: str) -> int:
    """Position in the sequence of a canonical SIV number."""
    match = _SIV.match(key)
    if not match:
        raise ValueError("not a canonical SIV number")
    left, number, right = match.groups()
    return (
        (_PAIR_INDEX[left] * PAIR_COUNT + _PAIR_INDEX[right]) * NUMBERS_PER_PAIR + int(number) - 1
    )


def allottable(key: str) -> bool:
    """Whether the general series may give out this number: never SS, never
    a left pair in W (WW temporary numbers, W garage)."""
    left, right = key[:2], key[5:]
    return "SS" not in (left, right) and not left.startswith("W")


def next_allottable_index(index: int) -> int:
    """The first position ≥ `index` the general series may give out. Skips
    whole blocks at once (a forbidden pair covers 999 or 528,471 numbers)."""
    while index < SEQUENCE_LENGTH:
        pairs, _number = divmod(index, NUMBERS_PER_PAIR)
        left, right = divmod(pairs, PAIR_COUNT)
        if _PAIRS[left] == "SS" or _PAIRS[left].startswith("W"):
            index = (left + 1) * PAIR_COUNT * NUMBERS_PER_PAIR
            continue
        if _PAIRS[right] == "SS":
            index = (left * PAIR_COUNT + right + 1) * NUMBERS_PER_PAIR
            continue
        return index
    raise OverflowError("the SIV series is exhausted")
