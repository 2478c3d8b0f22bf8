"""Which foreign licences are exchanged for a French one, from the dated
table `data/echange_pays.toml` (EU/EEA, the reciprocity list, the States
without exchange; each entry with its source, `sourced = false` where
nobody could check it). A request is judged by the rules of its filing day."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..enums import Category

TABLE_FILE = Path(__file__).resolve().parent.parent / "data" / "echange_pays.toml"
ZONES = ("eee", "reciprocite", "aucune")
EEE, RECIPROCITE, AUCUNE = ZONES
OTHER = "autre"  # a State or authority the table does not list: no exchange


@dataclass(frozen=True)
class CountryRule:
    starts: date
    zone: str
    source: str
    categories: tuple[str, ...] = ()  # French categories exchangeable (all for EEE)
    issued_before: date | None = None
    sourced: bool = True

    @property
    def exchanges(self) -> bool:
        return self.zone in (EEE, RECIPROCITE)


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    rules: tuple[CountryRule, ...]

    def rule_on(self, on: date) -> CountryRule | None:
        current = None
        for rule in self.rules:
            if rule.starts <= on:
                current = rule
        return current


@dataclass(frozen=True)
class Table:
    countries: dict[str, Country]
    eee_source: str
    reciprocite_source: str
    delay_months: int
    delay_source: str
    residence_days: int
    residence_source: str
    list_source: str

    def rule(self, code: str, on: date) -> CountryRule | None:
        country = self.countries.get(code)
        return country.rule_on(on) if country else None


def _categories(raw, code: str, zone: str) -> tuple[str, ...]:
    if zone == EEE or raw == "toutes":
        return tuple(Category.values)
    if zone == AUCUNE:
        return ()
    if not isinstance(raw, list) or not raw:
        raise ValueError(f'country {code}: categories must be "toutes" or a list')
    for category in raw:
        if category not in Category.values:
            raise ValueError(f"country {code}: unknown category {category!r}")
    return tuple(raw)


def parse_table(data: dict) -> Table:
    """The TOML as a Table; raises ValueError naming the first mistake."""
    general = data.get("general") or {}
    countries = {}
    for code, entry in (data.get("country") or {}).items():
        if code == OTHER:
            raise ValueError(f"{OTHER!r} is reserved")
        rules = []
        for raw in entry.get("rules") or []:
            zone = raw.get("zone")
            if zone not in ZONES:
                raise ValueError(f"country {code}: unknown zone {zone!r}")
            if not str(raw.get("source") or "").strip():
                raise ValueError(f"country {code}: a rule without source")
            before = raw.get("issued_before")
            rules.append(
                CountryRule(
                    starts=date.fromisoformat(str(raw["from"])),
                    zone=zone,
                    source=str(raw["source"]),
                    categories=_categories(raw.get("categories"), code, zone),
                    issued_before=date.fromisoformat(str(before)) if before else None,
                    sourced=bool(raw.get("sourced", True)),
                )
            )
        if not rules:
            raise ValueError(f"country {code}: no rule")
        starts = [r.starts for r in rules]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError(f"country {code}: rules not in date order")
        countries[code] = Country(code=code, name=str(entry["name"]), rules=tuple(rules))
    return Table(
        countries=countries,
        eee_source=str(general["eee_source"]),
        reciprocite_source=str(general["reciprocite_source"]),
        delay_months=int(general["reciprocite_delay_months"]),
        delay_source=str(general["reciprocite_delay_source"]),
        residence_days=int(general["residence_days"]),
        residence_source=str(general["residence_source"]),
        list_source=str(general["list_source"]),
    )


@lru_cache(maxsize=1)
def table() -> Table:
    with TABLE_FILE.open("rb") as handle:
        return parse_table(tomllib.load(handle))


def country_name(code: str) -> str:
    country = table().countries.get(code)
    return country.name if country else ""
