"""The fees block of each guide, read from the data the procedures use
(never retyped): the stamp amounts of titres.paiements.enums, the licence's
paying reasons, the ID tariff rules of titres.identite.tarifs and the
registration tax table of titres/vehicules/data/taxes.toml. When a rate
changes there, the guide changes with it.

Every registered procedure has an entry, free ones included (a guide
must say what it costs): tests/infos/test_guides.py fails otherwise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from titres.paiements.enums import STAMP_AMOUNTS_CENTS, StampPurpose
from titres.paiements.models import format_amount

from .selectors import fold


@dataclass(frozen=True)
class FeeRow:
    case: str
    amount: str


@dataclass(frozen=True)
class FeeTable:
    title: str
    rows: list[FeeRow]
    notes: list[str] = field(default_factory=list)


def _permis_renouvellement(today: date) -> list[FeeTable]:
    from titres.permis.request_forms import MOTIF_CHOICES, PAYING_MOTIFS

    stamp = format_amount(STAMP_AMOUNTS_CENTS[StampPurpose.PERMIS_PERTE_VOL])
    rows = [
        FeeRow(str(label), stamp if code in PAYING_MOTIFS else _("Gratuit"))
        for code, label in MOTIF_CHOICES
    ]
    return [
        FeeTable(
            _("Coût selon le motif de la demande"),
            rows,
            [
                _(
                    "Le timbre fiscal électronique s’achète en ligne sur ce portail "
                    "(« Timbres électroniques ») avant ou pendant la demande."
                )
            ],
        )
    ]


def _permis_gratuit(today: date) -> list[FeeTable]:
    return [
        FeeTable(
            _("Coût de la démarche"),
            [FeeRow(_("Demande en ligne et fabrication du titre"), _("Gratuit"))],
            [_("Les frais de formation de l’école de conduite ne sont pas des frais de l’État.")],
        )
    ]


def _permis_sans_frais(today: date) -> list[FeeTable]:
    """Extension and exchange: the State charges nothing (no stamp); the
    exam fees of a new category are the driving school's, not the portal's."""
    return [
        FeeTable(
            _("Coût de la démarche"),
            [FeeRow(_("Demande en ligne et fabrication du nouveau titre"), _("Gratuit"))],
            [
                _(
                    "Aucun timbre fiscal n’est demandé. Seule la perte ou le vol d’un permis "
                    "français est payant (voir le guide du renouvellement)."
                )
            ],
        )
    ]


def _vehicule_adresse(today: date) -> list[FeeTable]:
    return [
        FeeTable(
            _("Coût de la démarche"),
            [
                FeeRow(
                    _("Étiquette à coller sur la carte grise (trois premiers changements)"),
                    _("Gratuit"),
                ),
                FeeRow(
                    _("Nouvelle carte grise (quatrième changement, ou ancien numéro FNI)"),
                    _("Gratuit"),
                ),
            ],
        )
    ]


def _vehicule_duplicata(today: date) -> list[FeeTable]:
    """The same breakdown the procedure charges (taxes.compute_duplicate)."""
    from titres.vehicules import taxes

    breakdown = taxes.compute_duplicate(on=today)
    rows = [
        FeeRow(
            f"{line.label} ({line.detail})" if line.detail else str(line.label),
            format_amount(line.amount_cents),
        )
        for line in breakdown.lines
    ]
    rows.append(FeeRow(_("Total"), format_amount(breakdown.total_cents)))
    return [
        FeeTable(
            _("Taxes d’un duplicata"),
            rows,
            [_("Le montant est le même quel que soit le motif (perte, vol ou détérioration).")],
        )
    ]


def _identite(today: date) -> list[FeeTable]:
    from titres.identite.enums import Motif, TitleKind
    from titres.identite.tarifs import RULES

    labels = dict(Motif.choices)
    rows = []
    for rule in RULES:
        ages = (
            _("%(min)s ans et plus") % {"min": rule.min_age}
            if rule.max_age is None and rule.min_age
            else _("de %(min)s à %(max)s ans") % {"min": rule.min_age, "max": rule.max_age}
            if rule.min_age
            else _("moins de %(max)s ans") % {"max": rule.max_age + 1}
            if rule.max_age is not None
            else _("tout âge")
        )
        if rule.motifs is None:
            case = _("%(title)s, %(ages)s") % {"title": TitleKind(rule.title).label, "ages": ages}
        else:
            motifs = _(" ou ").join(str(labels[m]).lower() for m in sorted(rule.motifs))
            case = _("%(title)s, après %(motifs)s") % {
                "title": TitleKind(rule.title).label,
                "motifs": motifs,
            }
        if rule.title == TitleKind.CNI and rule.motifs is None:
            case = _("%(title)s, autres cas") % {"title": TitleKind(rule.title).label}
        amount = format_amount(STAMP_AMOUNTS_CENTS[rule.purpose]) if rule.purpose else _("Gratuit")
        rows.append(FeeRow(case, amount))
    return [
        FeeTable(
            _("Timbre fiscal selon le titre"),
            rows,
            [
                _(
                    "Pour une carte d’identité perdue ou volée, le timbre n’est dû que si "
                    "l’ancienne carte ne peut pas être présentée."
                )
            ],
        )
    ]


def _vehicule(today: date) -> list[FeeTable]:
    from titres.vehicules import taxes

    table = taxes.table()
    regional = []
    for region in sorted(table.regions.values(), key=lambda r: fold(r.name)):
        try:
            rate = region.rate_on(today)
        except taxes.UnknownRegion:
            continue
        regional.append(FeeRow(region.name, format_amount(rate.cents_per_cv)))
    fixed = [
        FeeRow(str(taxes.FIXED_LABELS.get(item.code, item.label)), format_amount(item.amount_cents))
        for item in table.fixed
        if item.starts <= today
    ]
    bands = []
    lower = None
    for band in table.y2:
        if band.up_to_kg is None:
            case = _("Plus de %(kg)s kg") % {"kg": f"{lower:,}".replace(",", "\u202f")}
        elif lower is None:
            case = _("Jusqu’à %(kg)s kg") % {"kg": f"{band.up_to_kg:,}".replace(",", "\u202f")}
        else:
            case = _("De %(low)s à %(high)s kg") % {
                "low": f"{lower:,}".replace(",", "\u202f"),
                "high": f"{band.up_to_kg:,}".replace(",", "\u202f"),
            }
        bands.append(FeeRow(case, format_amount(band.amount_cents)))
        lower = band.up_to_kg
    return [
        FeeTable(
            _("Taxe régionale : tarif du cheval fiscal, par région"),
            regional,
            [
                _(
                    "Montant = puissance fiscale (case P.6 de la carte grise) × tarif de la "
                    "région du domicile ; moitié prix pour un véhicule de plus de %(years)s ans ; "
                    "exonérations possibles pour les véhicules propres selon la région."
                )
                % {"years": table.half_rate_age_years}
            ],
        ),
        FeeTable(_("Taxes fixes, dues dans tous les cas"), fixed),
        FeeTable(
            _("Taxe sur les véhicules de transport (utilitaires), selon le poids total"),
            bands,
        ),
    ]


def _vehicule_neuf(today: date) -> list[FeeTable]:
    """A new vehicle pays the regional tax at the full rate and the fixed
    taxes (the tables of a change of holder), plus the malus of the day,
    read from data/malus.toml as taxes.compute_first_registration does."""
    from titres.vehicules import malus

    tables = _vehicule(today)[:2]
    year = malus.year_on(today)

    def kg(value: int) -> str:
        return f"{value:,}".replace(",", "\u202f")

    co2 = [
        FeeRow(
            _("Moins de %(g)s g/km") % {"g": year.co2_threshold},
            format_amount(0),
        ),
        FeeRow(
            _("%(g)s g/km") % {"g": year.co2_threshold},
            format_amount(year.co2_cents[0]),
        ),
        FeeRow(
            _("%(g)s g/km") % {"g": year.co2_cap_from - 1},
            format_amount(year.co2_cents[-1]),
        ),
        FeeRow(
            _("%(g)s g/km et plus") % {"g": year.co2_cap_from},
            format_amount(year.co2_cap_cents),
        ),
    ]
    weight = [
        FeeRow(
            _("Au-delà de %(kg)s kg, par kilogramme") % {"kg": kg(tranche.above_kg)},
            format_amount(tranche.cents_per_kg),
        )
        for tranche in year.tranches
    ]
    tables.append(
        FeeTable(
            _("Malus CO2 (émissions WLTP du certificat de conformité)"),
            co2,
            [
                _("Un montant par gramme entre ces bornes ; barème en vigueur depuis le %(d)s.")
                % {"d": year.starts.strftime("%d/%m/%Y")}
            ],
        )
    )
    tables.append(
        FeeTable(
            _("Malus au poids (masse en ordre de marche)"),
            weight,
            [
                _("Les deux malus ensemble ne dépassent pas %(cap)s.")
                % {"cap": format_amount(year.combined_cap_cents)},
                _("Le récapitulatif de la démarche calcule le montant exact du véhicule."),
            ],
        )
    )
    return tables


FEES: dict[str, Callable[[date], list[FeeTable]]] = {
    "permis-de-conduire": _permis_renouvellement,
    "permis-inscription": _permis_gratuit,
    "permis-fabrication": _permis_gratuit,
    "permis-extension": _permis_sans_frais,
    "permis-echange": _permis_sans_frais,
    "identite-predemande": _identite,
    "vehicule-changement-titulaire": _vehicule,
    "vehicule-changement-adresse": _vehicule_adresse,
    "vehicule-duplicata": _vehicule_duplicata,
    "vehicule-immatriculation-neuf": _vehicule_neuf,
}


def fees_for(procedure_code: str, today: date | None = None) -> list[FeeTable]:
    builder = FEES.get(procedure_code)
    return builder(today or timezone.localdate()) if builder else []
