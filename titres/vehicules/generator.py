"""Realistic demo and benchmark vehicles: makes and models sold in France
with their energy, fiscal power, CO2 and weight; ages from new to thirty
years; FNI numbers for vehicles not re-registered since 2009, SIV numbers
otherwise (in the range of their year); some gagés, some with an
opposition, some declared stolen or badly damaged.

Deterministic for a given seed (`random.Random(seed)`), so demo data and
benchmarks are reproducible."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from . import plates
from .enums import Category, Energy, HolderRole, LeaseKind, PersonKind, SituationKind
from .services.registry import HolderData, VehicleData

SIV_START = date(2009, 4, 15)


@dataclass(frozen=True)
class Model:
    make: str
    name: str
    category: str
    energy: str
    fiscal_power: int
    co2: int | None
    weight_kg: int
    seats: int
    since: int  # first year sold
    wmi: str  # world manufacturer identifier (VIN positions 1-3)


CATALOGUE = (
    Model("RENAULT", "CLIO", Category.VP, Energy.ES, 5, 118, 1588, 5, 1995, "VF1"),
    Model("RENAULT", "MEGANE", Category.VP, Energy.GO, 6, 112, 1830, 5, 1996, "VF1"),
    Model("RENAULT", "ZOE", Category.VP, Energy.EL, 1, 0, 1988, 5, 2013, "VF1"),
    Model("RENAULT", "KANGOO", Category.CTTE, Energy.GO, 6, 134, 2250, 2, 1998, "VF1"),
    Model("RENAULT", "MASTER", Category.CTTE, Energy.GO, 9, 210, 3500, 3, 1998, "VF1"),
    Model("PEUGEOT", "208", Category.VP, Energy.ES, 4, 110, 1600, 5, 2012, "VF3"),
    Model("PEUGEOT", "308", Category.VP, Energy.GO, 6, 104, 1860, 5, 2007, "VF3"),
    Model("PEUGEOT", "3008", Category.VP, Energy.EH, 7, 126, 2150, 5, 2009, "VF3"),
    Model("PEUGEOT", "PARTNER", Category.CTTE, Energy.GO, 5, 140, 2200, 2, 1996, "VF3"),
    Model("CITROEN", "C3", Category.VP, Energy.ES, 4, 115, 1570, 5, 2002, "VF7"),
    Model("CITROEN", "BERLINGO", Category.CTTE, Energy.GO, 5, 138, 2235, 2, 1996, "VF7"),
    Model("DACIA", "SANDERO", Category.VP, Energy.ES, 5, 120, 1530, 5, 2008, "UU1"),
    Model("DACIA", "DUSTER", Category.VP, Energy.GP, 6, 131, 1800, 5, 2010, "UU1"),
    Model("VOLKSWAGEN", "GOLF", Category.VP, Energy.ES, 7, 128, 1800, 5, 1990, "WVW"),
    Model("VOLKSWAGEN", "POLO", Category.VP, Energy.ES, 5, 117, 1600, 5, 1994, "WVW"),
    Model("TOYOTA", "YARIS", Category.VP, Energy.EH, 4, 92, 1565, 5, 1999, "VNK"),
    Model("TOYOTA", "C-HR", Category.VP, Energy.EH, 6, 110, 1910, 5, 2016, "NMT"),
    Model("TESLA", "MODEL 3", Category.VP, Energy.EL, 3, 0, 2232, 5, 2019, "5YJ"),
    Model("FIAT", "500", Category.VP, Energy.ES, 4, 119, 1365, 4, 2007, "ZFA"),
    Model("FORD", "FIESTA", Category.VP, Energy.ES, 5, 122, 1590, 5, 1990, "WF0"),
    Model("BMW", "SERIE 3", Category.VP, Energy.GO, 9, 125, 2065, 5, 1990, "WBA"),
    Model("MERCEDES-BENZ", "CLASSE A", Category.VP, Energy.ES, 7, 135, 1930, 5, 1998, "WDD"),
    Model("HYUNDAI", "KONA", Category.VP, Energy.EL, 3, 0, 2170, 5, 2018, "KMH"),
    Model("KIA", "NIRO", Category.VP, Energy.EE, 4, 29, 2110, 5, 2016, "KNA"),
    Model("SKODA", "OCTAVIA", Category.VP, Energy.GN, 6, 97, 1950, 5, 2014, "TMB"),
    Model("YAMAHA", "MT-07", Category.MTT2, Energy.ES, 4, 110, 370, 2, 2014, "JYA"),
    Model("HONDA", "PCX 125", Category.MTL, Energy.ES, 1, 50, 340, 2, 2010, "JH2"),
    Model("IVECO", "DAILY", Category.CTTE, Energy.GO, 10, 230, 3500, 3, 1990, "ZCF"),
    Model("RENAULT TRUCKS", "D 7.5", Category.CAM, Energy.GO, 14, None, 7500, 2, 2013, "VF6"),
)

LAST_NAMES = (
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFEBVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
    "FOURNIER",
    "GIRARD",
    "BONNET",
    "DUPONT",
    "LAMBERT",
    "FONTAINE",
    "ROUSSEAU",
    "VINCENT",
    "MULLER",
    "LEFEVRE",
    "FAURE",
    "ANDRE",
    "MERCIER",
    "BLANC",
    "GUERIN",
    "BOYER",
    "GARNIER",
    "CHEVALIER",
    "FRANCOIS",
    "LEGRAND",
    "GAUTHIER",
    "GARCIA",
)
FIRST_NAMES = (
    "Jean",
    "Marie",
    "Nathalie",
    "Pierre",
    "Isabelle",
    "Philippe",
    "Sylvie",
    "Michel",
    "Catherine",
    "Alain",
    "Françoise",
    "Nicolas",
    "Sandrine",
    "Julien",
    "Camille",
    "Léa",
    "Hugo",
    "Emma",
    "Lucas",
    "Chloé",
    "Thomas",
    "Manon",
    "Louis",
    "Inès",
)
# (postal code, commune, street) — real pairs of the communes table.
ADDRESSES = (
    ("75011", "Paris", "rue de la Roquette"),
    ("69003", "Lyon", "cours Lafayette"),
    ("54000", "Nancy", "rue Saint-Dizier"),
    ("33000", "Bordeaux", "cours de l’Intendance"),
    ("59000", "Lille", "rue Nationale"),
    ("13001", "Marseille", "La Canebière"),
    ("35000", "Rennes", "rue Le Bastard"),
    ("44000", "Nantes", "rue Crébillon"),
    ("31000", "Toulouse", "rue d’Alsace-Lorraine"),
    ("67000", "Strasbourg", "rue des Grandes Arcades"),
    ("20000", "Ajaccio", "cours Napoléon"),
    ("97400", "Saint-Denis", "rue de Paris"),
)
CREDITORS = ("DIAC", "CRÉDIT AGRICOLE CONSUMER FINANCE", "CETELEM", "COFIDIS", "RCI BANQUE")
LESSORS = ("ARVAL SERVICE LEASE", "ALD AUTOMOTIVE", "DIAC LOCATION")

# VIN characters (no I, O, Q).
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
# Model-year code of VIN position 10 (ISO 3779), 1980-2009 then 2010-2039.
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"


def vin_for(rng: random.Random, model: Model, year: int) -> str:
    descriptor = "".join(rng.choice(VIN_CHARS) for _ in range(5))
    year_code = _YEAR_CODES[(year - 1980) % 30]
    serial = "".join(rng.choice("0123456789") for _ in range(6))
    return f"{model.wmi}{descriptor}{rng.choice('0123456789X')}{year_code}{rng.choice(VIN_CHARS)}{serial}"


def siv_plate_for_year(rng: random.Random, year: int) -> str:
    """A SIV number in the range given out that year (about 0.5 pair of
    left letters a month since AA in April 2009), never in W or SS."""
    left_index = min(max(0, int((year - 2009) * 11.5)), 180) + rng.randrange(0, 6)
    left = plates._PAIRS[left_index]
    while True:
        right = rng.choice(plates._PAIRS)
        if right != "SS":
            break
    return f"{left}-{rng.randint(1, 999):03d}-{right}"


def fni_plate(rng: random.Random, departement: str) -> str:
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTVXYZ") for _ in range(rng.choice((2, 2, 3))))
    return f"{rng.randint(1, 9999)} {letters} {departement}"


def formule_for(rng: random.Random, ci_date: date) -> str:
    letters = rng.choice(plates.SIV_LETTERS) + rng.choice(plates.SIV_LETTERS)
    return f"{ci_date.year}{letters}{rng.randint(0, 99_999):05d}"


def _departement_of(postal_code: str) -> str:
    if postal_code.startswith("97"):
        return postal_code[:3]
    if postal_code.startswith("20"):
        return "2A" if postal_code[:3] in ("200", "201") else "2B"
    return postal_code[:2]


def random_person(
    rng: random.Random, *, role: str = HolderRole.TITULAIRE, since_age: int = 25
) -> HolderData:
    postal_code, commune, street = rng.choice(ADDRESSES)
    birth = date(1945, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
    return HolderData(
        role=role,
        person_kind=PersonKind.PHYSIQUE,
        last_name=rng.choice(LAST_NAMES),
        first_names=rng.choice(FIRST_NAMES),
        birth_date=birth,
        address=f"{rng.randint(1, 180)} {street}",
        postal_code=postal_code,
        commune=commune,
    )


@dataclass(frozen=True)
class GeneratedVehicle:
    data: VehicleData
    situations: tuple[tuple[str, str], ...]  # (kind, detail)


def generate(count: int, *, seed: int = 2009, today: date | None = None) -> list[GeneratedVehicle]:
    """`count` vehicles with distinct plates, VINs and formule numbers."""
    rng = random.Random(seed)
    today = today or date.today()
    seen_plates: set[str] = set()
    seen_vins: set[str] = set()
    seen_formules: set[str] = set()
    result = []
    while len(result) < count:
        model = rng.choice(CATALOGUE)
        first_year = max(model.since, today.year - 30)
        year = rng.randint(first_year, today.year)
        first_registration = date(year, rng.randint(1, 12), rng.randint(1, 28))
        if first_registration >= today:
            continue
        holder = random_person(rng)
        # A vehicle bought used gets a later certificate; FNI numbers remain
        # only on vehicles registered before 2009 that never changed holder.
        changed_holder = rng.random() < 0.55
        if changed_holder:
            span = (today - first_registration).days
            ci_date = first_registration + timedelta(days=rng.randrange(0, max(span, 1)))
        else:
            ci_date = first_registration
        if ci_date < SIV_START:
            plate = fni_plate(rng, _departement_of(holder.postal_code))
            formule = ""
        else:
            # A SIV number stays with the vehicle for life: the year it entered
            # the SIV (first registration, or the first change after 2009).
            siv_year = first_registration.year if first_registration >= SIV_START else ci_date.year
            plate = siv_plate_for_year(rng, siv_year)
            formule = formule_for(rng, ci_date)
        key = plates.canonical(plate)
        vin = vin_for(rng, model, year)
        if key in seen_plates or vin in seen_vins or (formule and formule in seen_formules):
            continue
        seen_plates.add(key)
        seen_vins.add(vin)
        if formule:
            seen_formules.add(formule)
        holders = [holder]
        if rng.random() < 0.15:
            holders.append(random_person(rng, role=HolderRole.COTITULAIRE))
        if rng.random() < 0.06 and ci_date >= SIV_START:
            lessor = rng.choice(LESSORS)
            holders[0] = HolderData(
                role=HolderRole.TITULAIRE,
                person_kind=PersonKind.MORALE,
                company_name=lessor,
                siret=rng.choice(("35251021700034", "41267584900021", "70201243300089")),
                address="1 avenue de la Défense",
                postal_code="92400",
                commune="Courbevoie",
            )
            holders.append(
                HolderData(
                    **{
                        **random_person(rng).__dict__,
                        "role": HolderRole.LOCATAIRE,
                        "lease_kind": rng.choice(LeaseKind.values),
                    }
                )
            )
        situations = []
        draw = rng.random()
        if draw < 0.06:
            situations.append((SituationKind.GAGE, rng.choice(CREDITORS)))
        elif draw < 0.09:
            situations.append((SituationKind.OPPOSITION, "Trésor public (amendes impayées)"))
        elif draw < 0.11:
            situations.append((SituationKind.VOL, "Plainte enregistrée"))
        elif draw < 0.125:
            situations.append((SituationKind.VGE, "Rapport d’expertise après accident"))
        weight = model.weight_kg
        result.append(
            GeneratedVehicle(
                VehicleData(
                    plate=plate,
                    vin=vin,
                    formule_number=formule,
                    ci_date=ci_date,
                    first_registration_date=first_registration,
                    category=model.category,
                    make=model.make,
                    commercial_name=model.name,
                    energy=model.energy,
                    fiscal_power=model.fiscal_power,
                    co2=model.co2,
                    gross_weight_kg=weight,
                    seats=model.seats,
                    holders=holders,
                ),
                tuple(situations),
            )
        )
    return result
