"""Names for INSEE's Code officiel géographique (COG) codes, which
FranceConnect gives for the birthplace (a commune code, e.g. 75107) and the
birth country (99100 for France): people read names, never the codes.

Countries: data/cog_pays.csv (codes of INSEE's COG, Licence Ouverte; the
countries of birth most often met, France first). Communes: the apps that
hold a communes table register a resolver (the permis app does, from La
Poste's base), so core depends on none of them."""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable
from pathlib import Path

COUNTRIES_FILE = Path(__file__).resolve().parent / "data" / "cog_pays.csv"
_COMMUNE_RESOLVERS: list[Callable[[str], str | None]] = []


@functools.cache
def _countries() -> dict[str, str]:
    with open(COUNTRIES_FILE, encoding="utf-8", newline="") as handle:
        return {row["code_cog"]: row["libelle"] for row in csv.DictReader(handle)}


def country_name(code: str | None) -> str:
    """ "99134" → "Espagne"; an unknown code is returned as it is."""
    code = (code or "").strip()
    return _countries().get(code, code)


def register_commune_resolver(resolver: Callable[[str], str | None]) -> None:
    if resolver not in _COMMUNE_RESOLVERS:
        _COMMUNE_RESOLVERS.append(resolver)


# The municipal arrondissements of Paris, Lyon and Marseille have codes of
# their own in the COG (FranceConnect gives them): (first code, city, count).
_ARRONDISSEMENTS = [(75101, "Paris", 20), (69381, "Lyon", 9), (13201, "Marseille", 16)]


def _arrondissement(code: str) -> str | None:
    if not code.isdigit():
        return None
    number = int(code)
    for first, city, count in _ARRONDISSEMENTS:
        if first <= number < first + count:
            rank = number - first + 1
            suffix = "er" if rank == 1 else "e"
            return f"{city} {rank}{suffix} arrondissement"
    return None


def commune_name(code: str | None) -> str:
    """ "75107" → "Paris 7e arrondissement", "54395" → "Nancy" when a
    resolver knows it; the code itself otherwise."""
    code = (code or "").strip()
    if not code:
        return ""
    name = _arrondissement(code)
    if name:
        return name
    for resolver in _COMMUNE_RESOLVERS:
        name = resolver(code)
        if name:
            return name
    return code
