"""Pré-demande numbers: 10 characters [A-Z0-9], nine random ones and a
MOD 37-2 check character (titres.core.numbering), so a typo at the counter
or in a vendor's form is caught before the register is even queried."""

from titres.core import numbering

LENGTH = 10


def generate() -> str:
    return numbering.generate(length=LENGTH - 1)


def normalize(value: str) -> str:
    return numbering.normalize(value)[:40]


def is_well_formed(value: str) -> bool:
    number = numbering.normalize(value)
    return len(number) == LENGTH and numbering.is_valid(number)
