"""Name normalisation shared by the registries' search columns (SNPC, SIV),
the agents' search and the communes table.

Matching must not depend on accents, case, hyphens or apostrophes: the
citizen types "Corneille", the file says "CORNEILLE"; "Saint-Étienne" and
"ST ETIENNE" are the same commune."""

import re
import unicodedata

_LIGATURES = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—'’`´.,/]+")
_ABBREVIATIONS = {"ST": "SAINT", "STE": "SAINTE", "STS": "SAINTS", "STES": "SAINTES"}


def normalise_name(value: str | None) -> str:
    """Upper case, no accents, words separated by single spaces."""
    if not value:
        return ""
    value = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    value = "".join(char for char in value if not unicodedata.combining(char))
    return _SEPARATORS.sub(" ", value).strip().upper()


def normalise_commune(value: str | None) -> str:
    """`normalise_name` plus the usual abbreviations of commune names."""
    words = normalise_name(value).split(" ")
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words if word)


def normalise_first_names(value) -> str:
    """First names in civil order, as one normalised string.

    Accepts a list (["Jean-Pierre", "Louis"]) or a comma-separated string;
    a compound first name keeps its parts together with spaces."""
    if not value:
        return ""
    names = value if isinstance(value, list | tuple) else str(value).split(",")
    return ",".join(normalise_name(name) for name in names if normalise_name(name))
