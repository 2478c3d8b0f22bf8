"""Demonstration data of the national licence file and the photographers.

Idempotent: hand-written people are upserted by NEPH, the generated crowd
is written once, e-photo codes are fixed strings."""

from datetime import date, timedelta

from django.utils import timezone
from stdnum.iso7064 import mod_37_36

from titres.core.demo import DemoCredential

from .communes import ensure_reference_data
from .enums import HEAVY_CATEGORIES, LicenceState, PhotographerKind
from .generator import bulk_generate, generate_people
from .identifiers import format_ephoto_code, format_neph, make_neph
from .models import (
    EPHOTO_VALIDITY,
    EPhoto,
    LicenceCategory,
    LicenceRecord,
    LicenceTitle,
    Photographer,
    add_years,
)
from .services import next_title_number

GENERATED = 300
SEED = 2016

# Seed 002: "Pierre CORNEILLE, né le 01/01/1956 à Nancy", file VALIDE, 12/12.
PEOPLE = [
    {
        "key": "SNPC : Pierre Corneille (seed 002)",
        "neph": make_neph(year=1974, departement="54", sequence=9_000_001),
        "birth_name": "CORNEILLE",
        "first_names": "Pierre",
        "sex": "M",
        "birth_date": date(1956, 1, 1),
        "birth_commune": "Nancy",
        "birth_departement": "54",
        "state": LicenceState.VALIDE,
        "points_balance": 12,
        "categories": [("B", date(1974, 6, 12)), ("A", date(1980, 4, 3))],
    },
    {
        "key": "SNPC : permis suspendu",
        "neph": make_neph(year=1998, departement="69", sequence=9_000_002),
        "birth_name": "MÉNARD",
        "first_names": "Raoul",
        "sex": "M",
        "birth_date": date(1981, 4, 19),
        "birth_commune": "Lyon",
        "birth_departement": "69",
        "state": LicenceState.SUSPENDU,
        "suspension_days": 120,
        "points_balance": 4,
        "categories": [("B", date(1999, 9, 2))],
    },
    {
        "key": "SNPC : permis annulé",
        "neph": make_neph(year=1999, departement="44", sequence=9_000_003),
        "birth_name": "DELAUNAY",
        "first_names": "Antoine",
        "sex": "M",
        "birth_date": date(1981, 4, 16),
        "birth_commune": "Nantes",
        "birth_departement": "44",
        "state": LicenceState.ANNULE,
        "points_balance": 0,
        "categories": [("B", date(2000, 3, 14))],
    },
    {
        "key": "SNPC : permis invalidé (0 point)",
        "neph": make_neph(year=1991, departement="72", sequence=9_000_004),
        "birth_name": "OGER",
        "first_names": "David",
        "sex": "M",
        "birth_date": date(1972, 6, 22),
        "birth_commune": "Le Mans",
        "birth_departement": "72",
        "state": LicenceState.INVALIDE,
        "points_balance": 0,
        "categories": [("B", date(1991, 1, 8))],
    },
    {
        "key": "SNPC : nom d’usage, née à l’étranger, poids lourd",
        "neph": make_neph(year=2005, departement="75", sequence=9_000_005),
        "birth_name": "DA SILVA",
        "usage_name": "TESSIER",
        "first_names": "Maria, Élodie",
        "sex": "F",
        "birth_date": date(1985, 11, 30),
        "birth_commune": "Lisbonne",
        "birth_country": "Portugal",
        "state": LicenceState.VALIDE,
        "points_balance": 9,
        "categories": [("B", date(2005, 5, 20)), ("C", date(2015, 2, 2)), ("CE", date(2016, 6, 6))],
    },
]

PHOTOGRAPHERS = [
    {
        "approval_number": "PH-75-0001",
        "kind": PhotographerKind.PHOTOGRAPHE,
        "name": "Studio Photo Bastille",
        "address": "12 rue de la Roquette",
        "postal_code": "75011",
        "commune": "Paris",
        "departement_code": "75",
    },
    {
        "approval_number": "PH-54-0002",
        "kind": PhotographerKind.PHOTOGRAPHE,
        "name": "Photo Stanislas",
        "address": "4 rue Saint-Dizier",
        "postal_code": "54000",
        "commune": "Nancy",
        "departement_code": "54",
    },
    {
        "approval_number": "CB-54-0003",
        "kind": PhotographerKind.CABINE,
        "name": "Cabine photo — gare de Nancy",
        "address": "3 place Thiers",
        "postal_code": "54000",
        "commune": "Nancy",
        "departement_code": "54",
    },
    {
        "approval_number": "CB-69-0004",
        "kind": PhotographerKind.CABINE,
        "name": "Cabine photo — centre commercial Part-Dieu",
        "address": "17 rue du Docteur Bouchut",
        "postal_code": "69003",
        "commune": "Lyon",
        "departement_code": "69",
    },
]


def demo_code(body: str) -> str:
    """A fixed, well-formed e-photo code from a 21-character body."""
    body = body.upper()
    assert len(body) == 21
    return body + mod_37_36.calc_check_digit(body)


EPHOTOS = [
    # (code body, photographer, age in days, used)
    ("DEMOVALIDE00000000001", "PH-54-0002", 10, False, "code photo valide"),
    ("DEMOVALIDE00000000002", "CB-54-0003", 30, False, "code photo valide"),
    ("DEMOVALIDE00000000003", "PH-75-0001", 2, False, "code photo valide"),
    ("DEMOEXPIRE00000000001", "PH-75-0001", 200, False, "code photo expiré (plus de 6 mois)"),
    ("DEMOUTILISE0000000001", "PH-54-0002", 20, True, "code photo déjà utilisé"),
]


def _upsert_person(person: dict) -> LicenceRecord:
    fields = {
        key: value
        for key, value in person.items()
        if key not in {"key", "neph", "categories", "suspension_days"}
    }
    if person.get("suspension_days"):
        fields["suspension_end"] = timezone.localdate() + timedelta(days=person["suspension_days"])
        fields["state_since"] = timezone.localdate() - timedelta(days=20)
    record, created = LicenceRecord.objects.update_or_create(neph=person["neph"], defaults=fields)
    if created:
        for category, obtained in person["categories"]:
            LicenceCategory.objects.create(
                record=record,
                category=category,
                obtained_on=obtained,
                valid_until=add_years(max(obtained, date(2023, 1, 1)), 5)
                if category in HEAVY_CATEGORIES
                else None,
            )
        issued = date(2017, 3, 8)
        LicenceTitle.objects.create(
            record=record, number=next_title_number(issued), issued_on=issued
        )
    return record


# Instructing authorities of the licence requests (seed 002: "autorité 543"
# for Meurthe-et-Moselle); other départements go to the national CERT.
AUTHORITIES = [
    ("543", "Préfecture de Meurthe-et-Moselle", ["54"]),
    ("753", "Préfecture de police de Paris", ["75"]),
    ("693", "Préfecture du Rhône", ["69"]),
]


def load_authorities() -> None:
    from titres.procedures.enums import AuthorityKind
    from titres.procedures.models import Authority

    from .procedure import default_authority

    for code, name, departements in AUTHORITIES:
        Authority.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": AuthorityKind.PREFECTURE, "departements": departements},
        )
    default_authority()


# Submitted licence requests for the back office's demo agents (authority 543).
BACKOFFICE_CITIZEN = "demo-instruction-usager"
BACKOFFICE_FILES = [
    ("CORNEILLE", ["Pierre"], date(1956, 1, 1), "M", "vol", "54000", 12),
    ("MÉNARD", ["Raoul"], date(1981, 4, 19), "M", "perte", "54100", 9),
    ("DELAUNAY", ["Antoine", "Louis"], date(1981, 4, 16), "M", "vol", "57000", 5),
    ("OGER", ["David"], date(1972, 6, 22), "M", "deterioration", "88000", 2),
    ("TESSIER", ["Étienne"], date(1981, 4, 19), "M", "vol", "55000", 1),
]


def _backoffice_files() -> None:
    """Idempotent: created once for the demo citizen (indexed for the
    agents' search by the back office's post_save receiver)."""
    from django.contrib.auth import get_user_model

    from titres.procedures.demo_support import record_submission
    from titres.procedures.enums import Status
    from titres.procedures.models import Authority, Demarche

    from .procedure import CODE

    owner, _created = get_user_model().objects.get_or_create(
        username=BACKOFFICE_CITIZEN,
        defaults={
            "email": f"{BACKOFFICE_CITIZEN}@demo.titres.localhost",
            "first_name": "Pierre",
            "last_name": "Corneille",
            "email_verified_at": timezone.now(),
        },
    )
    if Demarche.objects.filter(owner=owner).exists():
        return
    authority = Authority.objects.get(code="543")
    for name, first_names, birth, sex, motif, postal_code, days in BACKOFFICE_FILES:
        demarche = Demarche.objects.create(
            procedure_code=CODE,
            owner=owner,
            status=Status.EN_COURS,
            answers={
                "motif": {"motif": motif},
                "etat_civil": {
                    "nom_naissance": name,
                    "nom_usage": "",
                    "prenoms": first_names,
                    "date_naissance": birth.isoformat(),
                    "sexe": sex,
                    "commune_naissance": "Nancy" if name == "CORNEILLE" else "",
                },
                "adresse": {"code_postal": postal_code},
            },
            authority=authority,
            submitted_at=timezone.now() - timedelta(days=days),
        )
        record_submission(demarche, owner)


def load() -> list[DemoCredential]:
    ensure_reference_data()
    load_authorities()
    _backoffice_files()
    credentials = []
    for person in PEOPLE:
        record = _upsert_person(person)
        credentials.append(
            DemoCredential(
                role=person["key"],
                identifier=f"NEPH {format_neph(record.neph)}",
                secret=f"né(e) le {record.birth_date:%d/%m/%Y}",
                note="rattacher sur /permis/mon-permis/",
            )
        )
    first = next(generate_people(1, seed=SEED, start=0))
    if not LicenceRecord.objects.filter(neph=first.record["neph"]).exists():
        bulk_generate(GENERATED, seed=SEED, start=0)

    photographers = {}
    for data in PHOTOGRAPHERS:
        photographers[data["approval_number"]], _ = Photographer.objects.update_or_create(
            approval_number=data["approval_number"], defaults=data
        )
    now = timezone.now()
    for body, approval, age_days, used, label in EPHOTOS:
        code = demo_code(body)
        created_at = now - timedelta(days=age_days)
        photo, created = EPhoto.objects.get_or_create(
            code=code,
            defaults={
                "photographer": photographers[approval],
                "created_at": created_at,
                "expires_at": created_at + EPHOTO_VALIDITY,
            },
        )
        if not used and photo.used_at is None:
            # Keep the demo codes in their intended state whatever the date.
            photo.created_at, photo.expires_at = created_at, created_at + EPHOTO_VALIDITY
            photo.save(update_fields=["created_at", "expires_at"])
        if used and photo.used_at is None:
            photo.used_at = created_at + timedelta(days=1)
            photo.used_reference = "DEMO-0000001"
            photo.save(update_fields=["used_at", "used_reference"])
        credentials.append(
            DemoCredential(
                role="Photo numérique",
                identifier=format_ephoto_code(code),
                secret="-",  # noqa: S106 - a code, no secret
                note=label,
            )
        )
    # The demo driving school's candidates (issue 19).
    from .inscription import demo as inscription_demo

    credentials += inscription_demo.load()
    # The demo road-safety centre's stage (issue 19).
    from .stages import demo as stages_demo

    credentials += stages_demo.load()
    # A pending exchange and a pending extension (issue 19).
    from . import requests_demo

    credentials += requests_demo.load()
    return credentials
