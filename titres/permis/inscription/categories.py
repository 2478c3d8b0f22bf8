"""Minimum age, prerequisites and medical opinion of each licence category,
from the dated table `data/categories.toml` (data with dates and sources,
never code). A request is judged by the rules of the day it is filed."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from ..enums import CATEGORY_ORDER, Category
from ..models import add_years

TABLE_FILE = Path(__file__).resolve().parent.parent / "data" / "categories.toml"


@dataclass(frozen=True)
class Rule:
    starts: date
    min_age: int
    source: str
    aac_min_age: int | None = None
    requires: tuple[str, ...] = ()
    requires_held_years: int = 0
    medical: bool = False
    sourced: bool = True


@dataclass(frozen=True)
class CategoryRules:
    code: str
    label: str
    rules: tuple[Rule, ...]  # sorted by start date

    def rule_on(self, on: date) -> Rule:
        current = None
        for rule in self.rules:
            if rule.starts <= on:
                current = rule
        if current is None:
            raise LookupError(f"no rule for category {self.code} on {on}")
        return current


@dataclass(frozen=True)
class Table:
    categories: dict[str, CategoryRules]
    assr_born_from: date
    assr_source: str
    jdc_min_age: int
    jdc_max_age: int
    jdc_source: str
    problems: list[str] = field(default_factory=list)

    def rule(self, code: str, on: date) -> Rule:
        return self.categories[code].rule_on(on)


def parse_table(data: dict) -> Table:
    """The TOML as a Table; raises ValueError naming the first mistake
    (unknown category, missing source, dates out of order)."""
    general = data.get("general") or {}
    categories = {}
    for code, entry in (data.get("category") or {}).items():
        if code not in Category.values:
            raise ValueError(f"unknown category {code!r}")
        rules = []
        for raw in entry.get("rules") or []:
            if not str(raw.get("source") or "").strip():
                raise ValueError(f"category {code}: a rule without source")
            requires = tuple(raw.get("requires") or ())
            for required in requires:
                if required not in Category.values:
                    raise ValueError(f"category {code}: unknown prerequisite {required!r}")
            rules.append(
                Rule(
                    starts=date.fromisoformat(str(raw["from"])),
                    min_age=int(raw["min_age"]),
                    source=str(raw["source"]),
                    aac_min_age=raw.get("aac_min_age"),
                    requires=requires,
                    requires_held_years=int(raw.get("requires_held_years") or 0),
                    medical=bool(raw.get("medical", False)),
                    sourced=bool(raw.get("sourced", True)),
                )
            )
        if not rules:
            raise ValueError(f"category {code}: no rule")
        starts = [r.starts for r in rules]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError(f"category {code}: rules not in date order")
        categories[code] = CategoryRules(code=code, label=str(entry["label"]), rules=tuple(rules))
    missing = set(Category.values) - set(categories)
    if missing:
        raise ValueError(f"categories without rules: {sorted(missing)}")
    return Table(
        categories=dict(sorted(categories.items(), key=lambda item: CATEGORY_ORDER[item[0]])),
        assr_born_from=date.fromisoformat(str(general["assr_born_from"])),
        assr_source=str(general["assr_source"]),
        jdc_min_age=int(general["jdc_min_age"]),
        jdc_max_age=int(general["jdc_max_age"]),
        jdc_source=str(general["jdc_source"]),
    )


@lru_cache(maxsize=1)
def table() -> Table:
    with TABLE_FILE.open("rb") as handle:
        return parse_table(tomllib.load(handle))


def age_on(birth_date: date, on: date) -> int:
    """Completed years on `on` (born on 29 February: one year older on 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def category_choices() -> list[tuple[str, str]]:
    return [(code, entry.label) for code, entry in table().categories.items()]


def category_errors(
    categories: list[str],
    *,
    birth_date: date,
    on: date,
    held: dict[str, date] | None = None,
    aac: bool = False,
) -> list[str]:
    """Why these categories cannot be requested on `on` (French, one
    message per problem; empty: allowed). `held`: categories already on the
    licence with the date obtained (none for a first licence); `aac`:
    accompanied driving chosen for B."""
    held = held or {}
    errors = []
    age = age_on(birth_date, on)
    for code in categories:
        rule = table().rule(code, on)
        minimum = rule.aac_min_age if (aac and rule.aac_min_age is not None) else rule.min_age
        if age < minimum:
            reached = add_years(birth_date, minimum)
            errors.append(
                _(
                    "La catégorie %(category)s est ouverte à partir de %(age)s ans : le "
                    "candidat aura cet âge le %(date)s."
                )
                % {"category": code, "age": minimum, "date": reached.strftime("%d/%m/%Y")}
            )
        if code in held:
            errors.append(
                _("Le candidat est déjà titulaire de la catégorie %(category)s.")
                % {"category": code}
            )
        if rule.requires:
            obtained = [held[r] for r in rule.requires if r in held]
            required = str(_(" ou ")).join(rule.requires)
            if not obtained:
                errors.append(
                    _(
                        "La catégorie %(category)s suppose d’être déjà titulaire de la "
                        "catégorie %(required)s : demandez d’abord la catégorie %(required)s."
                    )
                    % {"category": code, "required": required}
                )
            elif rule.requires_held_years and all(
                add_years(day, rule.requires_held_years) > on for day in obtained
            ):
                since = min(obtained)
                errors.append(
                    _(
                        "La catégorie %(category)s suppose d’être titulaire de la catégorie "
                        "%(required)s depuis %(years)s ans : possible à partir du %(date)s."
                    )
                    % {
                        "category": code,
                        "required": required,
                        "years": rule.requires_held_years,
                        "date": add_years(since, rule.requires_held_years).strftime("%d/%m/%Y"),
                    }
                )
    return errors


def medical_required(categories: list[str], on: date) -> bool:
    return any(table().rule(code, on).medical for code in categories)


def assr_required(birth_date: date) -> bool:
    return birth_date >= table().assr_born_from


def jdc_required(birth_date: date, on: date) -> bool:
    age = age_on(birth_date, on)
    return table().jdc_min_age <= age <= table().jdc_max_age
