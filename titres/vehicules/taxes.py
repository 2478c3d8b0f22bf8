"""Registration taxes of a change of holder, from the rate table in
`data/taxes.toml` (data with dates and sources, never code).

Y1 regional tax = fiscal horsepower (P.6) × the rate of the holder's region
on the day of the request; half for vehicles over ten years old; clean
vehicles' exemptions or reductions as each region decided them. Y2 for
utility vehicles by gross weight (F.2). Y4 fixed tax, Y5 delivery fee. No
malus (Y3) on a change of holder of a vehicle already registered in France.
Amounts are integer cents throughout."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import UTILITY_CATEGORIES

DATA_DIR = Path(__file__).resolve().parent / "data"
TAX_FILE = DATA_DIR / "taxes.toml"
REGIONS_FILE = DATA_DIR / "regions.csv"


# What people read for the fixed lines (the data file's label is the fallback).
FIXED_LABELS = {
    "Y4": gettext_lazy("Taxe fixe (gestion)"),
    "Y5": gettext_lazy("Redevance d’acheminement du titre"),
}


class UnknownRegion(LookupError):
    pass


@dataclass(frozen=True)
class Rate:
    starts: date
    cents_per_cv: int
    source: str
    sourced: bool = True


@dataclass(frozen=True)
class CleanRule:
    starts: date
    ends: date | None  # exclusive
    energies: frozenset[str]
    reduction_percent: int
    source: str
    sourced: bool = True

    def applies(self, energy: str, on: date) -> bool:
        return (
            energy in self.energies and self.starts <= on and (self.ends is None or on < self.ends)
        )


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    rates: tuple[Rate, ...]
    clean: tuple[CleanRule, ...]

    def rate_on(self, on: date) -> Rate:
        current = None
        for rate in self.rates:  # sorted by start date
            if rate.starts <= on:
                current = rate
        if current is None:
            raise UnknownRegion(f"no rate for {self.code} on {on}")
        return current

    def clean_rule(self, energy: str, on: date) -> CleanRule | None:
        return next((rule for rule in self.clean if rule.applies(energy, on)), None)


@dataclass(frozen=True)
class Fixed:
    code: str
    label: str
    amount_cents: int
    starts: date
    source: str


@dataclass(frozen=True)
class WeightBand:
    up_to_kg: int | None
    amount_cents: int
    starts: date
    source: str


@dataclass(frozen=True)
class TaxTable:
    half_rate_age_years: int
    regions: dict[str, Region]
    fixed: tuple[Fixed, ...]
    y2: tuple[WeightBand, ...]


@dataclass(frozen=True)
class TaxLine:
    code: str
    label: str
    amount_cents: int
    detail: str = ""


@dataclass(frozen=True)
class TaxBreakdown:
    region: Region | None  # None: no regional tax (a duplicate)
    on: date
    lines: tuple[TaxLine, ...] = field(default_factory=tuple)

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    def as_json(self) -> dict:
        return {
            "region": self.region.code if self.region else None,
            "date": self.on.isoformat(),
            "lines": [
                {
                    "code": ln.code,
                    "label": ln.label,
                    "amount_cents": ln.amount_cents,
                    "detail": ln.detail,
                }
                for ln in self.lines
            ],
            "total_cents": self.total_cents,
        }


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def parse_table(raw: dict) -> TaxTable:
    """Build and check the table; raises ValueError naming the bad entry."""
    regions = {}
    for code, entry in raw["region"].items():
        rates = tuple(
            sorted(
                (
                    Rate(
                        starts=_day(r["from"]),
                        cents_per_cv=int(r["cents_per_cv"]),
                        source=r["source"],
                        sourced=bool(r.get("sourced", True)),
                    )
                    for r in entry["rates"]
                ),
                key=lambda r: r.starts,
            )
        )
        if not rates or len({r.starts for r in rates}) != len(rates):
            raise ValueError(f"region {code}: rates missing or two rates on the same day")
        if any(r.cents_per_cv <= 0 or not r.source for r in rates):
            raise ValueError(f"region {code}: every rate needs a positive amount and a source")
        clean = tuple(
            CleanRule(
                starts=_day(c["from"]),
                ends=_day(c["until"]) if c.get("until") else None,
                energies=frozenset(c["energies"]),
                reduction_percent=int(c["reduction_percent"]),
                source=c["source"],
                sourced=bool(c.get("sourced", True)),
            )
            for c in entry.get("clean", [])
        )
        if any(not 0 < c.reduction_percent <= 100 for c in clean):
            raise ValueError(f"region {code}: reduction_percent must be 1 to 100")
        regions[code] = Region(code=code, name=entry["name"], rates=rates, clean=clean)
    fixed = tuple(
        Fixed(
            code=f["code"],
            label=f["label"],
            amount_cents=int(f["amount_cents"]),
            starts=_day(f["from"]),
            source=f["source"],
        )
        for f in raw["fixed"]
    )
    bands = tuple(
        WeightBand(
            up_to_kg=b.get("up_to_kg"),
            amount_cents=int(b["amount_cents"]),
            starts=_day(b["from"]),
            source=b["source"],
        )
        for b in raw["y2"]
    )
    if bands[-1].up_to_kg is not None:
        raise ValueError("y2: the last band must have no upper bound")
    return TaxTable(
        half_rate_age_years=int(raw["general"]["half_rate_age_years"]),
        regions=regions,
        fixed=fixed,
        y2=bands,
    )


@lru_cache(maxsize=1)
def table() -> TaxTable:
    with open(TAX_FILE, "rb") as handle:
        return parse_table(tomllib.load(handle))


@lru_cache(maxsize=1)
def _departement_regions() -> dict[str, str]:
    with open(REGIONS_FILE, encoding="utf-8", newline="") as handle:
        return {row["departement"]: row["region"] for row in csv.DictReader(handle)}


def region_for_departement(departement: str) -> Region:
    code = _departement_regions().get((departement or "").strip().upper())
    if code is None:
        raise UnknownRegion(departement)
    return table().regions[code]


def departement_of_postal_code(postal_code: str) -> str:
    """The département of a postal code: the communes table when it knows
    the code (Corsica's 20xxx are split there), else the leading digits."""
    from titres.permis.communes import departement_for_postal_code

    code = (postal_code or "").strip()
    found = departement_for_postal_code(code)
    if found:
        return found
    if code.startswith("97"):
        return code[:3]
    if code.startswith("20"):
        return "2A" if code[:3] in ("200", "201") else "2B"
    return code[:2]


def region_for_postal_code(postal_code: str) -> Region:
    return region_for_departement(departement_of_postal_code(postal_code))


def _euros(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    return f"{euros},{rest:02d} €"


def _older_than(first_registration: date, years: int, on: date) -> bool:
    try:
        anniversary = first_registration.replace(year=first_registration.year + years)
    except ValueError:  # 29 February
        anniversary = first_registration.replace(year=first_registration.year + years, day=28)
    return on > anniversary


def regional_tax(
    *, fiscal_power: int, energy: str, first_registration: date, region: Region, on: date
) -> TaxLine:
    rate = region.rate_on(on)
    base = fiscal_power * rate.cents_per_cv
    detail = _("%(cv)s CV × %(rate)s (%(region)s)") % {
        "cv": fiscal_power,
        "rate": _euros(rate.cents_per_cv),
        "region": region.name,
    }
    amount = base
    half = table().half_rate_age_years
    if _older_than(first_registration, half, on):
        amount = (base + 1) // 2  # nearest cent, half up
        detail += " — " + _("véhicule de plus de %(n)s ans : demi-tarif") % {"n": half}
    rule = region.clean_rule(energy, on)
    if rule is not None:
        amount = amount - (amount * rule.reduction_percent + 50) // 100
        if rule.reduction_percent == 100:
            detail += " — " + _("véhicule propre : exonération totale décidée par la région")
        else:
            detail += " — " + _("véhicule propre : réduction de %(p)s %% décidée par la région") % {
                "p": rule.reduction_percent
            }
    return TaxLine("Y1", _("Taxe régionale"), amount, detail)


def utility_tax(*, category: str, gross_weight_kg: int | None, on: date) -> TaxLine | None:
    if category not in UTILITY_CATEGORIES:
        return None
    weight = gross_weight_kg or 0
    bands = [b for b in table().y2 if b.starts <= on]
    for band in bands:
        if band.up_to_kg is None or weight <= band.up_to_kg:
            return TaxLine(
                "Y2",
                _("Taxe sur les véhicules de transport"),
                band.amount_cents,
                _("poids total autorisé en charge : %(kg)s kg") % {"kg": weight},
            )
    return None  # pragma: no cover - the last band has no upper bound


def compute(*, vehicle, region: Region, on: date) -> TaxBreakdown:
    """The taxes of a change of holder of `vehicle` for a holder living in
    `region`, on the day `on`."""
    lines = [
        regional_tax(
            fiscal_power=vehicle.fiscal_power,
            energy=vehicle.energy,
            first_registration=vehicle.first_registration_date,
            region=region,
            on=on,
        )
    ]
    if y2 := utility_tax(category=vehicle.category, gross_weight_kg=vehicle.gross_weight_kg, on=on):
        lines.append(y2)
    lines.append(
        TaxLine(
            "Y3",
            _("Taxe sur les émissions de CO2 (malus)"),
            0,
            _("non due : véhicule déjà immatriculé en France"),
        )
    )
    lines.extend(_fixed_lines(on))
    return TaxBreakdown(region=region, on=on, lines=tuple(lines))


def _fixed_lines(on: date) -> list[TaxLine]:
    return [
        TaxLine(fixed.code, str(FIXED_LABELS.get(fixed.code, fixed.label)), fixed.amount_cents)
        for fixed in table().fixed
        if fixed.starts <= on
    ]


def compute_duplicate(*, on: date) -> TaxBreakdown:
    """The taxes of a duplicate of the registration certificate: Y4 and Y5
    only — no regional tax (Y1, shown at 0 so that people see it is not
    forgotten) and no malus."""
    lines = [
        TaxLine("Y1", _("Taxe régionale"), 0, _("non due pour un duplicata")),
        *_fixed_lines(on),
    ]
    return TaxBreakdown(region=None, on=on, lines=tuple(lines))


def compute_first_registration(*, vehicle, mass_kg: int | None, region: Region, on: date):
    """The taxes of a new vehicle's first registration in France: Y1 at
    the full rate (clean-vehicle rules of the region apply), Y2 for a
    utility vehicle, Y3 the CO2 and weight malus of the day (data/malus.toml,
    capped together), Y4, Y5. `vehicle` carries the certificate of
    conformity's fields (a Vehicle or a VehicleData); `mass_kg` is the mass
    in running order (G.1)."""
    from . import malus

    lines = [
        regional_tax(
            fiscal_power=vehicle.fiscal_power,
            energy=vehicle.energy,
            first_registration=on,
            region=region,
            on=on,
        )
    ]
    if y2 := utility_tax(category=vehicle.category, gross_weight_kg=vehicle.gross_weight_kg, on=on):
        lines.append(y2)
    y3 = malus.compute(co2=vehicle.co2, mass_kg=mass_kg, energy=vehicle.energy, on=on)
    detail = _("CO2 %(co2)s g/km : %(a)s ; masse en ordre de marche %(kg)s kg : %(b)s") % {
        "co2": vehicle.co2 if vehicle.co2 is not None else "—",
        "a": _euros(y3.co2_cents),
        "kg": mass_kg or "—",
        "b": _euros(y3.weight_cents),
    }
    if y3.capped:
        detail += " — " + _("plafonné à %(cap)s") % {"cap": _euros(y3.total_cents)}
    lines.append(
        TaxLine(
            "Y3", _("Taxe sur les émissions de CO2 et sur la masse (malus)"), y3.total_cents, detail
        )
    )
    lines.extend(_fixed_lines(on))
    return TaxBreakdown(region=region, on=on, lines=tuple(lines))
