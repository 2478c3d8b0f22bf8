"""Demonstration data of the vehicle registry.

Hand-written vehicles cover every journey of seed 003 (code de cession,
formule number, FNI with CI date) and every refusal (gagé, opposition,
stolen, VGE); a generated crowd makes the registry look real. Idempotent:
vehicles are created once (by plate); the demo declaration of sale is
issued again at each load so that the banner always shows a valid code
(only its digest is stored, the plain code cannot be read back)."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from titres.core.demo import DemoCredential

from . import plates
from .enums import Category, CessionState, Energy, HolderRole, PersonKind, SituationKind
from .generator import generate
from .models import CessionDeclaration, Vehicle
from .professionnels.demo import load as load_professional_files
from .services.cession import Buyer, cancel_cession, declare_cession
from .services.registry import HolderData, VehicleData, add_situation, bulk_import, register_vehicle

GENERATED = 300
SEED = 2009
SELLER_USERNAME = "demo-particulier"  # Camille Martin (titres.accounts.demo)


def _person(last, first, birth, postal_code, commune, street, role=HolderRole.TITULAIRE, **extra):
    return HolderData(
        role=role,
        last_name=last,
        first_names=first,
        birth_date=birth,
        address=street,
        postal_code=postal_code,
        commune=commune,
        **extra,
    )


CAMILLE = _person("MARTIN", "Camille", date(1988, 5, 4), "54000", "Nancy", "12 rue Saint-Dizier")
ANGELA = _person(
    "DUBOIS", "Angela Claire Louise", date(1962, 8, 24), "75007", "Paris", "5 rue Cler"
)
MARIE = _person(
    "LEFEBVRE",
    "Marie",
    date(1978, 11, 30),
    "59000",
    "Lille",
    "8 rue Nationale",
    usage_name="MARTIN",
)


def _vehicle(plate, vin, make, name, category, energy, cv, first, ci, holders, **extra):
    return VehicleData(
        plate=plate,
        vin=vin,
        make=make,
        commercial_name=name,
        category=category,
        energy=energy,
        fiscal_power=cv,
        first_registration_date=first,
        ci_date=ci,
        holders=holders,
        **extra,
    )


# (label, vehicle, situation or None)
HAND_WRITTEN = [
    (
        "véhicule SIV cédé (code de cession ci-dessous)",
        _vehicle(
            "FG-123-HJ",
            "VF1RJA00067123456",
            "RENAULT",
            "CLIO",
            Category.VP,
            Energy.ES,
            5,
            date(2019, 6, 12),
            date(2019, 6, 12),
            [CAMILLE],
            formule_number="2019FG04521",
            co2=118,
            gross_weight_kg=1588,
            seats=5,
        ),
        None,
    ),
    (
        "véhicule SIV sans code (numéro de formule)",
        _vehicle(
            "ES-482-KL",
            "VF3LBHNZ6HS118732",
            "PEUGEOT",
            "308",
            Category.VP,
            Energy.GO,
            6,
            date(2017, 3, 2),
            date(2017, 3, 2),
            [ANGELA],
            formule_number="2017ES11873",
            co2=104,
            gross_weight_kg=1860,
            seats=5,
        ),
        None,
    ),
    (
        "véhicule FNI (date du CI)",
        _vehicle(
            "3457 TV 59",
            "WVWZZZ1KZ4W345712",
            "VOLKSWAGEN",
            "GOLF",
            Category.VP,
            Energy.ES,
            7,
            date(2004, 3, 18),
            date(2004, 3, 18),
            [MARIE],
            co2=170,
            gross_weight_kg=1780,
            seats=5,
        ),
        None,
    ),
    (
        "camionnette (taxe Y2)",
        _vehicle(
            "CV-304-BD",
            "VF1FW0ZBC45304112",
            "RENAULT",
            "KANGOO",
            Category.CTTE,
            Energy.GO,
            6,
            date(2012, 9, 5),
            date(2018, 2, 14),
            [CAMILLE],
            formule_number="2018CV30411",
            co2=134,
            gross_weight_kg=2250,
            seats=2,
        ),
        None,
    ),
    (
        "véhicule gagé (refus)",
        _vehicle(
            "DM-731-PR",
            "VF7SC9HP0BW731208",
            "CITROEN",
            "C3",
            Category.VP,
            Energy.ES,
            4,
            date(2014, 10, 1),
            date(2014, 10, 1),
            [ANGELA],
            formule_number="2014DM73120",
            co2=115,
            gross_weight_kg=1570,
            seats=5,
        ),
        (SituationKind.GAGE, "DIAC"),
    ),
    (
        "véhicule avec opposition OTCI (refus)",
        _vehicle(
            "EB-208-ZT",
            "UU15SDAG451208734",
            "DACIA",
            "SANDERO",
            Category.VP,
            Energy.ES,
            5,
            date(2016, 1, 20),
            date(2016, 1, 20),
            [MARIE],
            formule_number="2016EB20873",
            co2=120,
            gross_weight_kg=1530,
            seats=5,
        ),
        (SituationKind.OPPOSITION, "Trésor public (amendes impayées)"),
    ),
    (
        "véhicule déclaré volé (refus)",
        _vehicle(
            "FK-555-WX",
            "5YJ3E7EB0KF555012",
            "TESLA",
            "MODEL 3",
            Category.VP,
            Energy.EL,
            3,
            date(2019, 11, 8),
            date(2019, 11, 8),
            [ANGELA],
            formule_number="2019FK55501",
            co2=0,
            gross_weight_kg=2232,
            seats=5,
        ),
        (SituationKind.VOL, "Plainte du 02/05/2026, commissariat de Paris 7e"),
    ),
    (
        "véhicule gravement endommagé VGE (refus)",
        _vehicle(
            "GA-947-NC",
            "VNKKG3D3X0A947201",
            "TOYOTA",
            "YARIS",
            Category.VP,
            Energy.EH,
            4,
            date(2021, 4, 30),
            date(2021, 4, 30),
            [CAMILLE],
            formule_number="2021GA94720",
            co2=92,
            gross_weight_kg=1565,
            seats=5,
        ),
        (SituationKind.VGE, "Rapport d’expertise après accident"),
    ),
]
CEDED_PLATE = "FG123HJ"
DEMO_BUYER = Buyer(
    kind=PersonKind.PHYSIQUE,
    last_name="MERCIER",
    first_names="Pierre",
    birth_date=date(1990, 1, 15),
    address="3 place Bellecour",
    postal_code="69002",
    commune="Lyon",
)


def _ensure_vehicle(data: VehicleData, situation) -> Vehicle:
    key = plates.canonical(data.plate)
    vehicle = (
        Vehicle.objects.filter(plate=key).first() or Vehicle.objects.filter(vin=data.vin).first()
    )
    if vehicle is not None:
        return vehicle
    vehicle = register_vehicle(data=data, actor=None)
    if situation:
        add_situation(
            vehicle=vehicle, kind=situation[0], detail=situation[1], on=data.ci_date, actor=None
        )
    return vehicle


def _ensure_crowd() -> None:
    if Vehicle.objects.count() >= GENERATED:
        return
    existing_plates = set(Vehicle.objects.values_list("plate", flat=True))
    existing_vins = set(Vehicle.objects.values_list("vin", flat=True))
    crowd = [
        generated
        for generated in generate(GENERATED, seed=SEED, today=date(2026, 11, 1))
        if plates.canonical(generated.data.plate) not in existing_plates
        and generated.data.vin not in existing_vins
    ]
    bulk_import(vehicles=crowd, actor=None, source="données de démonstration")


def _fresh_code(vehicle: Vehicle):
    """Withdraw the previous demo declaration (if unused) and declare the
    sale again: a valid code to print at every start."""
    seller = get_user_model().objects.filter(username=SELLER_USERNAME).first()
    if seller is None or vehicle.titulaire is None or vehicle.titulaire.last_name != "MARTIN":
        return None  # the demo buyer already took the vehicle over
    for declaration in CessionDeclaration.objects.filter(
        vehicle=vehicle, state=CessionState.ACTIVE
    ):
        cancel_cession(declaration=declaration, actor=None)
    sold_at = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=1), time(10, 30))
    )
    return declare_cession(
        vehicle=vehicle,
        seller=seller,
        sold_at=sold_at,
        mileage=48_250,
        buyer=DEMO_BUYER,
        actor=None,
    )


def load() -> list[DemoCredential]:
    credentials = []
    for label, data, situation in HAND_WRITTEN:
        vehicle = _ensure_vehicle(data, situation)
        vehicle.refresh_from_db()
        proof = (
            f"numéro de formule {vehicle.formule_number}, date du CI {vehicle.ci_date:%d/%m/%Y}"
            if vehicle.is_siv
            else f"date du CI {vehicle.ci_date:%d/%m/%Y}"
        )
        holder = vehicle.titulaire
        credentials.append(
            DemoCredential(
                f"SIV : {label}",
                vehicle.plate_display,
                proof,
                f"titulaire {holder.display_name}" if holder else "",
            )
        )
    _ensure_crowd()
    ceded = Vehicle.objects.filter(plate=CEDED_PLATE).first()
    declared = _fresh_code(ceded) if ceded else None
    if declared is not None:
        credentials.append(
            DemoCredential(
                "SIV : code de cession (acquéreur Pierre MERCIER, FranceConnect)",
                ceded.plate_display,
                declared.code_display,
                "valable 15 jours ; un nouveau code est émis à chaque démarrage",
            )
        )
    credentials += load_professional_files()
    return credentials
