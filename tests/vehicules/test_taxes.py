"""The rate table (data file) and the calculator: one test per region
rule, dates at the boundaries, amounts in cents."""

from datetime import date

import pytest

from titres.vehicules import taxes
from titres.vehicules.taxes import UnknownRegion

from .factories import VehicleFactory

pytestmark = pytest.mark.django_db


def y1(region, *, cv=5, energy="ES", first=date(2022, 1, 1), on=date(2026, 6, 1)):
    return taxes.regional_tax(
        fiscal_power=cv,
        energy=energy,
        first_registration=first,
        region=taxes.table().regions[region],
        on=on,
    ).amount_cents


def test_the_data_file_loads_and_every_region_has_a_sourced_or_marked_rate():
    table = taxes.table()
    assert set(table.regions) == {
        "ARA",
        "BFC",
        "BRE",
        "CVL",
        "COR",
        "GES",
        "HDF",
        "IDF",
        "NOR",
        "NAQ",
        "OCC",
        "PDL",
        "PAC",
        "GUA",
        "MTQ",
        "GUY",
        "LRE",
        "MAY",
    }
    for region in table.regions.values():
        assert all(rate.source for rate in region.rates)
    unsourced = {code for code, r in table.regions.items() if any(not x.sourced for x in r.rates)}
    assert unsourced == {"PDL", "MTQ", "MAY"}


@pytest.mark.parametrize(
    "region, cents_per_cv",
    [
        ("ARA", 4300),
        ("BFC", 6000),
        ("BRE", 6000),
        ("CVL", 6000),
        ("GES", 6000),
        ("NOR", 6000),
        ("COR", 5300),
        ("NAQ", 5300),
        ("OCC", 5950),
        ("PAC", 6000),
        ("GUA", 4100),
        ("GUY", 4250),
    ],
)
def test_2026_rates_of_the_issue(region, cents_per_cv):
    assert y1(region, cv=7) == 7 * cents_per_cv


def test_hauts_de_france_42_then_43_from_1_april_2026():
    assert y1("HDF", on=date(2026, 3, 31)) == 5 * 4200
    assert y1("HDF", on=date(2026, 4, 1)) == 5 * 4300


def test_ile_de_france_54_95_then_68_95_from_1_march_2026():
    assert y1("IDF", on=date(2026, 2, 28)) == 5 * 5495
    assert y1("IDF", on=date(2026, 3, 1)) == 5 * 6895


def test_la_reunion_60_from_1_february_2026():
    assert y1("LRE", on=date(2026, 1, 31)) == 5 * 5700
    assert y1("LRE", on=date(2026, 2, 1)) == 5 * 6000


def test_corse_53_from_2026_and_43_before():
    assert y1("COR", on=date(2025, 12, 31)) == 5 * 4300
    assert y1("COR", on=date(2026, 1, 1)) == 5 * 5300


def test_paca_59_then_60_from_2026():
    assert y1("PAC", on=date(2025, 12, 31)) == 5 * 5900
    assert y1("PAC", on=date(2026, 1, 1)) == 5 * 6000


def test_half_rate_only_after_the_tenth_anniversary():
    first = date(2016, 6, 1)
    assert y1("IDF", cv=7, first=first, on=date(2026, 6, 1)) == 7 * 6895  # exactly ten years
    assert y1("IDF", cv=7, first=first, on=date(2026, 6, 2)) == (7 * 6895 + 1) // 2  # 241,33 €
    assert y1("IDF", cv=7, first=first, on=date(2026, 6, 2)) == 24133  # 482,65 / 2 rounded half up


def test_half_rate_of_a_29_february_first_registration():
    assert y1("ARA", first=date(2016, 2, 29), on=date(2026, 2, 28)) == 5 * 4300
    assert y1("ARA", first=date(2016, 2, 29), on=date(2026, 3, 1)) == 5 * 4300 // 2


def test_hauts_de_france_clean_vehicle_exemption_until_31_march_2026():
    assert y1("HDF", energy="EL", on=date(2026, 3, 31)) == 0
    assert y1("HDF", energy="H2", on=date(2026, 3, 31)) == 0
    assert y1("HDF", energy="EL", on=date(2026, 4, 1)) == 5 * 4300
    assert y1("HDF", energy="EH", on=date(2026, 3, 31)) == 5 * 4200  # hybrids excluded


def test_bretagne_clean_vehicle_half_reduction():
    assert y1("BRE", cv=3, energy="EL") == 3 * 6000 // 2
    assert y1("BRE", cv=3, energy="GO") == 3 * 6000


def test_corse_clean_vehicle_exemption():
    assert y1("COR", cv=3, energy="EL") == 0


def test_no_clean_exemption_in_ile_de_france():
    assert y1("IDF", cv=3, energy="EL") == 3 * 6895


def test_half_rate_and_clean_reduction_combine():
    # Bretagne, electric, 11 years old: 3 × 60 € = 180 € → 90 € → 45 €.
    assert y1("BRE", cv=3, energy="EL", first=date(2015, 1, 1)) == 4500


def test_region_of_departements_and_postal_codes():
    assert taxes.region_for_departement("75").code == "IDF"
    assert taxes.region_for_departement("2A").code == "COR"
    assert taxes.region_for_departement("974").code == "LRE"
    assert taxes.region_for_postal_code("54000").code == "GES"
    assert taxes.region_for_postal_code("20000").code == "COR"
    assert taxes.region_for_postal_code("97400").code == "LRE"
    with pytest.raises(UnknownRegion):
        taxes.region_for_departement("99")


def test_full_breakdown_of_a_car():
    vehicle = VehicleFactory.build(fiscal_power=5, first_registration_date=date(2019, 6, 12))
    breakdown = taxes.compute(
        vehicle=vehicle, region=taxes.table().regions["GES"], on=date(2026, 6, 1)
    )
    assert [(line.code, line.amount_cents) for line in breakdown.lines] == [
        ("Y1", 30000),
        ("Y3", 0),
        ("Y4", 1100),
        ("Y5", 276),
    ]
    assert breakdown.total_cents == 31376
    assert breakdown.lines[0].detail == "5 CV × 60,00 € (Grand Est)"
    assert breakdown.as_json()["total_cents"] == 31376


@pytest.mark.parametrize(
    "weight, amount",
    [
        (2250, 3400),
        (3500, 3400),
        (3501, 12700),
        (6000, 12700),
        (6001, 18900),
        (11000, 18900),
        (11001, 28500),
    ],
)
def test_y2_by_gross_weight_with_boundaries(weight, amount):
    vehicle = VehicleFactory.build(utility=True, gross_weight_kg=weight)
    breakdown = taxes.compute(
        vehicle=vehicle, region=taxes.table().regions["ARA"], on=date(2026, 6, 1)
    )
    y2 = [line for line in breakdown.lines if line.code == "Y2"]
    assert [line.amount_cents for line in y2] == [amount]


def test_no_y2_for_a_passenger_car():
    vehicle = VehicleFactory.build()
    breakdown = taxes.compute(
        vehicle=vehicle, region=taxes.table().regions["ARA"], on=date(2026, 6, 1)
    )
    assert "Y2" not in [line.code for line in breakdown.lines]


def test_table_checks_refuse_bad_data():
    import tomllib

    raw = tomllib.loads(taxes.TAX_FILE.read_text(encoding="utf-8"))
    raw["region"]["ARA"]["rates"].append(dict(raw["region"]["ARA"]["rates"][0]))
    with pytest.raises(ValueError, match="same day"):
        taxes.parse_table(raw)
    raw = tomllib.loads(taxes.TAX_FILE.read_text(encoding="utf-8"))
    raw["region"]["ARA"]["rates"][0]["source"] = ""
    with pytest.raises(ValueError, match="source"):
        taxes.parse_table(raw)
