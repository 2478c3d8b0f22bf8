"""Which electronic stamp a pré-demande needs, as data.

Sources (service-public.fr, fiches F1342 "Passeport" and F1341 "Carte
d'identité"; CGI art. 953 and 1628): a passport costs 86 € for an adult,
42 € from 15 to 17, 17 € under 15, whatever the reason; an ID card is free,
except after a loss or a theft when the old card cannot be handed in
(25 €). The amounts themselves live once, in titres.paiements.enums."""

import datetime
from dataclasses import dataclass

from titres.paiements.enums import STAMP_AMOUNTS_CENTS, StampPurpose

from .enums import Motif, TitleKind


@dataclass(frozen=True)
class TariffRule:
    title: str
    motifs: frozenset[str] | None  # None: any motif
    min_age: int
    max_age: int | None  # inclusive; None: no upper bound
    purpose: str | None  # None: free


ALL = None
LOSS_OR_THEFT = frozenset({Motif.PERTE, Motif.VOL})

# First matching rule wins.
RULES: tuple[TariffRule, ...] = (
    TariffRule(TitleKind.PASSEPORT, ALL, 18, None, StampPurpose.PASSEPORT_MAJEUR),
    TariffRule(TitleKind.PASSEPORT, ALL, 15, 17, StampPurpose.PASSEPORT_MINEUR_15_17),
    TariffRule(TitleKind.PASSEPORT, ALL, 0, 14, StampPurpose.PASSEPORT_MINEUR_MOINS_15),
    TariffRule(TitleKind.CNI, LOSS_OR_THEFT, 0, None, StampPurpose.CNI_PERTE_VOL),
    TariffRule(TitleKind.CNI, ALL, 0, None, None),
)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def stamp_purpose(
    *, title: str, motif: str, birth_date: datetime.date, on: datetime.date
) -> str | None:
    """The stamp purpose due (a StampPurpose value), or None when free."""
    age = age_on(birth_date, on)
    for rule in RULES:
        if rule.title != title:
            continue
        if rule.motifs is not None and motif not in rule.motifs:
            continue
        if age < rule.min_age or (rule.max_age is not None and age > rule.max_age):
            continue
        return rule.purpose
    raise LookupError(f"no tariff rule for {title}/{motif}/age {age}")


def stamp_amount_cents(
    *, title: str, motif: str, birth_date: datetime.date, on: datetime.date
) -> int:
    purpose = stamp_purpose(title=title, motif=motif, birth_date=birth_date, on=on)
    return STAMP_AMOUNTS_CENTS[purpose] if purpose else 0
