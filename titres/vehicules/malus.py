"""Y3 of a first registration in France: the CO2 malus and the weight
malus, from the dated table `data/malus.toml` (data with sources, never
code), and their combined cap. Amounts in integer cents.

    y3 = malus.compute(co2=..., mass_kg=..., energy=..., on=date)
    y3.total_cents, y3.co2_cents, y3.weight_cents, y3.capped, y3.detail

A vehicle already registered in France pays no Y3 (taxes.compute shows it
at 0); this is for the dealers' « Immatriculation d’un véhicule neuf »."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

MALUS_FILE = Path(__file__).resolve().parent / "data" / "malus.toml"


@dataclass(frozen=True)
class Tranche:
    above_kg: int
    cents_per_kg: int
    sourced: bool


@dataclass(frozen=True)
class MalusYear:
    starts: date
    co2_threshold: int
    co2_cap_from: int
    co2_cap_cents: int
    co2_cents: tuple[int, ...]  # from the threshold, one per g/km
    co2_source: str
    weight_threshold_kg: int
    tranches: tuple[Tranche, ...]
    abatement_kg: dict[str, int]
    exempt_energies: frozenset[str]
    combined_cap_cents: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Malus:
    co2_cents: int
    weight_cents: int
    total_cents: int
    capped: bool
    year: MalusYear


def parse(raw: dict) -> tuple[MalusYear, ...]:
    """Build and check the table; ValueError names the bad entry."""
    years = []
    for entry in raw["year"]:
        starts = entry["from"]
        starts = starts if isinstance(starts, date) else date.fromisoformat(starts)
        amounts = tuple(int(e) * 100 for e in entry["co2_amounts_euros"])
        if len(amounts) != entry["co2_cap_from"] - entry["co2_threshold"]:
            raise ValueError(f"{starts}: one CO2 amount per g/km from the threshold to the cap")
        if list(amounts) != sorted(amounts) or amounts[-1] > entry["co2_cap_cents"]:
            raise ValueError(f"{starts}: CO2 amounts must grow up to the cap")
        tranches = tuple(
            Tranche(int(t["above_kg"]), int(t["cents_per_kg"]), bool(t.get("sourced", True)))
            for t in entry["weight_tranches"]
        )
        if [t.above_kg for t in tranches] != sorted({t.above_kg for t in tranches}):
            raise ValueError(f"{starts}: weight tranches in increasing order, distinct")
        if tranches[0].above_kg != entry["weight_threshold_kg"]:
            raise ValueError(f"{starts}: the first tranche starts at the weight threshold")
        years.append(
            MalusYear(
                starts=starts,
                co2_threshold=int(entry["co2_threshold"]),
                co2_cap_from=int(entry["co2_cap_from"]),
                co2_cap_cents=int(entry["co2_cap_cents"]),
                co2_cents=amounts,
                co2_source=entry["co2_source"],
                weight_threshold_kg=int(entry["weight_threshold_kg"]),
                tranches=tranches,
                abatement_kg={k: int(v) for k, v in entry.get("weight_abatement_kg", {}).items()},
                exempt_energies=frozenset(entry.get("weight_exempt_energies", [])),
                combined_cap_cents=int(entry["combined_cap_cents"]),
                sources=(
                    entry["co2_source"],
                    entry["weight_source"],
                    entry.get("weight_abatement_source", ""),
                    entry["combined_cap_source"],
                ),
            )
        )
    if len({y.starts for y in years}) != len(years):
        raise ValueError("two malus tables start on the same day")
    return tuple(sorted(years, key=lambda y: y.starts))


@lru_cache(maxsize=1)
def table() -> tuple[MalusYear, ...]:
    with open(MALUS_FILE, "rb") as handle:
        return parse(tomllib.load(handle))


def year_on(on: date) -> MalusYear:
    current = None
    for year in table():
        if year.starts <= on:
            current = year
    if current is None:
        raise LookupError(f"no malus table on {on}")
    return current


def co2_malus(year: MalusYear, co2: int | None) -> int:
    if co2 is None or co2 < year.co2_threshold:
        return 0
    if co2 >= year.co2_cap_from:
        return year.co2_cap_cents
    return year.co2_cents[co2 - year.co2_threshold]


def weight_malus(year: MalusYear, mass_kg: int | None, energy: str) -> int:
    """Per kilogram above each tranche's bound, after the energy's
    abatement; none for the exempt energies."""
    if not mass_kg or energy in year.exempt_energies:
        return 0
    mass = mass_kg - year.abatement_kg.get(energy, 0)
    total = 0
    for index, tranche in enumerate(year.tranches):
        upper = year.tranches[index + 1].above_kg if index + 1 < len(year.tranches) else None
        if mass <= tranche.above_kg:
            break
        top = mass if upper is None else min(mass, upper)
        total += (top - tranche.above_kg) * tranche.cents_per_kg
    return total


def compute(*, co2: int | None, mass_kg: int | None, energy: str, on: date) -> Malus:
    year = year_on(on)
    co2_cents = co2_malus(year, co2)
    weight_cents = weight_malus(year, mass_kg, energy)
    total = co2_cents + weight_cents
    capped = total > year.combined_cap_cents
    return Malus(
        co2_cents=co2_cents,
        weight_cents=weight_cents,
        total_cents=min(total, year.combined_cap_cents),
        capped=capped,
        year=year,
    )
