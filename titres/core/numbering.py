"""Human-readable numbers with a check character, reusable by every app.

A number is a short run of characters from an unambiguous alphabet (digits
and capital letters without I, L, O and U, so "0"/"O" and "1"/"I"/"L" cannot
be confused) followed by one ISO 7064 MOD 37-2 check character computed by
python-stdnum. MOD 37-2 is a pure system over a prime modulus: it detects
every single-character substitution and every transposition of two adjacent
characters. The check alphabet also contains letters we exclude and "*";
those draws are simply redrawn, so every character of a number is readable.

Numbers are stored in canonical form (no separators, upper case) and shown
in groups of four (`format_number`); `normalize` accepts what people type
(spaces, dashes, lower case, O for 0, I/L for 1).
"""

import secrets

from stdnum.iso7064 import mod_37_2

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPO_MAP = str.maketrans({"O": "0", "I": "1", "L": "1"})


def check_character(body: str) -> str:
    """The MOD 37-2 check character of a canonical body."""
    return mod_37_2.calc_check_digit(body)


def generate(*, prefix: str = "", length: int = 11) -> str:
    """A random canonical number: `prefix` + random body + check character.

    `prefix` (e.g. a two-digit year) must use `ALPHABET`; the total length is
    `len(prefix) + length + 1`. Uniqueness is the caller's job (unique index
    and retry); with 11 random characters there are 32**11 bodies.
    """
    prefix = prefix.upper()
    if any(char not in ALPHABET for char in prefix):
        raise ValueError(f"prefix {prefix!r} uses characters outside the alphabet")
    while True:
        body = prefix + "".join(secrets.choice(ALPHABET) for _ in range(length))
        check = check_character(body)
        if check in ALPHABET:
            return body + check


def normalize(value: str) -> str:
    """Canonical form of what a person typed: no separators, upper case,
    look-alike letters mapped to the characters we actually use."""
    if value and value.isalnum():
        # Every character kept (numbers read from the database are): the
        # same result without a generator step per character, which was a
        # tenth of "Mes démarches" (three display numbers per row).
        return value.upper().translate(_TYPO_MAP)
    cleaned = "".join(char for char in (value or "") if char.isalnum())
    return cleaned.upper().translate(_TYPO_MAP)


def is_valid(value: str) -> bool:
    """True when `value` (canonical or typed) carries a correct check character."""
    number = normalize(value)
    if len(number) < 2 or any(char not in ALPHABET for char in number):
        return False
    return mod_37_2.is_valid(number)


def format_number(value: str, group: int = 4) -> str:
    """Display form: groups of `group` characters joined by dashes."""
    number = normalize(value)
    if len(number) == 3 * group:  # a démarche number: no generator (issue 17)
        return f"{number[:group]}-{number[group : 2 * group]}-{number[2 * group :]}"
    return "-".join(number[i : i + group] for i in range(0, len(number), group))
