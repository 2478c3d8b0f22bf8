"""Y3 of a first registration: the 2026 CO2 grid, the weight malus by
tranche with the energies' abatements, the combined cap, and the taxes of
a new vehicle."""

from datetime import date

import pytest

from titres.vehicules import malus, taxes
from titres.vehicules.services.registry import VehicleData

ON = date(2026, 6, 1)


def test_the_data_file_loads_and_names_its_sources():
    year = malus.year_on(ON)
    assert year.starts == date(2026, 1, 1)
    assert all(year.sources)
    with pytest.raises(LookupError):
        malus.year_on(date(2025, 12, 31))


@pytest.mark.parametrize(
    ("co2", "euros"),
    [
        (None, 0),
        (107, 0),
        (108, 50),
        (114, 190),
        (130, 983),
        (191, 79911),
        (192, 80000),
        (250, 80000),
    ],
)
def test_co2_grid_2026(co2, euros):
    assert malus.compute(co2=co2, mass_kg=None, energy="ES", on=ON).co2_cents == euros * 100


@pytest.mark.parametrize(
    ("mass", "energy", "euros"),
    [
        (1500, "ES", 0),
        (1501, "ES", 10),
        (1700, "ES", 2000),  # 200 kg × 10 €
        (1750, "ES", 2750),  # + 50 kg × 15 €
        (2200, "GO", 2000 + 1500 + 2000 + 5000 + 3000),
        (1700, "EE", 0),  # plug-in hybrid: 200 kg abatement
        (1700, "EH", 1000),  # hybrid: 100 kg abatement
        (2400, "EL", 0),  # electric: exempt
    ],
)
def test_weight_malus(mass, energy, euros):
    assert malus.compute(co2=None, mass_kg=mass, energy=energy, on=ON).weight_cents == euros * 100


def test_the_two_together_are_capped():
    result = malus.compute(co2=200, mass_kg=2600, energy="ES", on=ON)
    assert result.co2_cents == 8_000_000 and result.weight_cents > 0
    assert result.capped and result.total_cents == 8_000_000


def test_a_bad_table_is_refused():
    raw = {
        "year": [
            {
                "from": "2026-01-01",
                "co2_threshold": 108,
                "co2_cap_from": 110,
                "co2_cap_cents": 10000,
                "co2_source": "x",
                "co2_amounts_euros": [50],
                "weight_threshold_kg": 1500,
                "weight_source": "x",
                "weight_tranches": [{"above_kg": 1500, "cents_per_kg": 1000}],
                "combined_cap_cents": 10000,
                "combined_cap_source": "x",
            }
        ]
    }
    with pytest.raises(ValueError, match="one CO2 amount per g/km"):
        malus.parse(raw)


def test_taxes_of_a_new_vehicle():
    data = VehicleData(
        plate="",
        vin="VF1RJA00012345678",
        ci_date=ON,
        first_registration_date=ON,
        category="VP",
        make="PEUGEOT",
        commercial_name="3008",
        energy="ES",
        fiscal_power=7,
        co2=130,
        gross_weight_kg=2100,
    )
    region = taxes.table().regions["ARA"]
    breakdown = taxes.compute_first_registration(vehicle=data, mass_kg=1650, region=region, on=ON)
    lines = {line.code: line.amount_cents for line in breakdown.lines}
    assert lines["Y1"] == 7 * region.rate_on(ON).cents_per_cv
    assert lines["Y3"] == 98300 + 150 * 1000
    assert lines["Y4"] == 1100 and lines["Y5"] == 276
