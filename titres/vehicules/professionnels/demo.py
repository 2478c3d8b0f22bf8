"""Demo files of the demo garage (accounts' `demo-garage`, habilitation
SIV-08-2024-0042): a few clients' changes of holder in several states, and
a new vehicle registered for a client (its number allotted, its CPI),
created once then left alone (make demo-reset reloads them)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from titres.core import numbering
from titres.core.demo import DemoCredential
from titres.procedures.demo_support import record_submission
from titres.procedures.enums import Status
from titres.procedures.models import Demarche

from ..changement import state
from ..changement.procedure import CODE, one_month_after, resolve_authority
from ..models import ChangeOfHolder, Vehicle
from ..neuf import procedure as new_vehicle
from ..neuf import state as new_vehicle_state
from ..neuf.models import NewRegistration
from . import stock_demo
from .models import StockVehicle

GARAGE_USERNAME = "demo-garage"
# (client last name, first names, birth date, postal code, commune, status, days ago)
CLIENTS = [
    ("LEROY", "Julie", "1984-05-21", "08000", "Charleville-Mézières", Status.EN_COURS, 2),
    ("FONTAINE", "Marc", "1962-11-03", "51100", "Reims", Status.TERMINEE, 20),
    ("GARNIER", "Nadia", "1995-07-14", "08200", "Sedan", Status.EN_ATTENTE_USAGER, 6),
    ("ROUSSEAU", "Paul", "1978-02-28", "75011", "Paris", Status.BROUILLON, 0),
]


# The new vehicle's file: the certificate of conformity and the client as
# the dealer typed them (the steps' stored answers).
NEW_VEHICLE_VIN = "VF1RJB00071234567"
NEW_VEHICLE_ANSWERS = {
    new_vehicle_state.CONFORMITY: {
        "vin": NEW_VEHICLE_VIN,
        "type_variante": "RJB1E2MT6",
        "marque": "RENAULT",
        "denomination": "Clio",
        "genre": "VP",
        "energie": "ES",
        "puissance_fiscale": 4,
        "co2": 124,
        "masse_ordre_marche": 1320,
        "ptac": 1720,
        "places": 5,
    },
    new_vehicle_state.CLIENT: {
        "kind": new_vehicle_state.CLIENT_PERSON,
        "nom": "Bernard",
        "prenoms": "Sophie",
        "date_naissance": "1988-09-12",
        "raison_sociale": "",
        "siret": "",
        "adresse": "12 avenue Jean Jaurès",
        "complement": "",
        "code_postal": "08000",
        "commune": "Charleville-Mézières",
        "email": "",
    },
    new_vehicle_state.SUMMARY: {"exactitude": True, "sanctions": True},
}


def _answers(client, vehicle):
    last, first, birth, postal_code, commune, _status, _days = client
    return {
        state.START: {
            "pour_qui": state.POUR_MANDAT,
            "titulaire_nom": last,
            "titulaire_prenoms": first,
            "titulaire_date_naissance": birth,
            "titulaire_email": "",
            "immatriculation": vehicle.plate_display,
            "a_code_cession": "non",
            "code_cession": "",
            "numero_formule": vehicle.formule_number,
            "date_ci": vehicle.ci_date.isoformat(),
            "vehicule": vehicle.pk,
        },
        state.HOLDER: {
            "ancien_titulaire_verifie": True,
            "nom_naissance": last,
            "prenoms": first,
            "date_naissance": birth,
            "sexe": "F" if first in ("Julie", "Nadia") else "M",
            "adresse": "1 place de la Gare",
            "code_postal": postal_code,
            "commune": commune,
            "usage": "personnel",
            "kilometrage": 62_000,
        },
    }


def load() -> list[DemoCredential]:
    garage = get_user_model().objects.filter(username=GARAGE_USERNAME).first()
    habilitation = getattr(garage, "habilitation", None) if garage else None
    if habilitation is None:
        return []
    credentials = [
        DemoCredential(
            "Professionnel habilité SIV : espace professionnel",
            GARAGE_USERNAME,
            "/vehicules/professionnel/",
            f"{habilitation.organisation_name}, habilitation {habilitation.number}",
        )
    ]
    credentials += _new_vehicle_file(garage, habilitation)
    credentials += stock_demo.load(garage, habilitation)
    if Demarche.objects.filter(owner=garage, procedure_code=CODE).exists():
        return credentials
    busy = ChangeOfHolder.objects.values_list("vehicle_id", flat=True)
    vehicles = (
        Vehicle.objects.exclude(pk__in=busy)
        .exclude(pk__in=StockVehicle.objects.values_list("vehicle_id", flat=True))
        .exclude(formule_number="")
        .filter(situations__isnull=True)
        .order_by("-pk")[: len(CLIENTS)]
    )
    authority = resolve_authority(None)
    for client, vehicle in zip(CLIENTS, vehicles, strict=False):
        last, first, _birth, _pc, _commune, status, days = client
        when = timezone.now() - timedelta(days=days)
        filed = status != Status.BROUILLON
        demarche = Demarche.objects.create(
            procedure_code=CODE,
            owner=garage,
            number=numbering.generate(length=11),
            status=status,
            answers=_answers(client, vehicle),
            acting_for={
                "nom": last,
                "prenoms": first,
                "date_naissance": client[2],
                "qualite": "professionnel_mandataire",
                "email": "",
                "professionnel": habilitation.organisation_name,
                "habilitation": habilitation.number,
            },
            authority=authority if filed else None,
            submitted_at=when if filed else None,
        )
        ChangeOfHolder.objects.create(
            demarche=demarche,
            vehicle=vehicle,
            old_plate=vehicle.plate,
            paid_at=when if filed else None,
            cpi_number=numbering.generate(prefix="CP", length=9) if filed else "",
            cpi_valid_until=one_month_after(when.date()) if filed else None,
        )
        if filed:
            record_submission(demarche, garage)
    return credentials


def _new_vehicle_file(garage, habilitation) -> list[DemoCredential]:
    """The dealer's new vehicle, filed and paid: submitted through the
    procedure's own `on_submitted` (a number allotted from the sequence,
    the vehicle in the registry with the client as titulaire, the CPI), so
    the demo shows what a real filing leaves. Once: found again afterwards."""
    demarche = (
        Demarche.objects.filter(owner=garage, procedure_code=new_vehicle.CODE)
        .exclude(status=Status.BROUILLON)
        .order_by("pk")
        .first()
    )
    if demarche is None:
        if Vehicle.objects.filter(vin=NEW_VEHICLE_VIN).exists():
            return []  # registered meanwhile by hand: nothing to show
        client = NEW_VEHICLE_ANSWERS[new_vehicle_state.CLIENT]
        demarche = Demarche.objects.create(
            procedure_code=new_vehicle.CODE,
            owner=garage,
            number=numbering.generate(length=11),
            status=Status.EN_COURS,
            answers=NEW_VEHICLE_ANSWERS,
            acting_for={
                "nom": client["nom"],
                "prenoms": client["prenoms"],
                "date_naissance": client["date_naissance"],
                "raison_sociale": "",
                "siret": "",
                "qualite": "professionnel_mandataire",
                "email": "",
                "professionnel": habilitation.organisation_name,
                "habilitation": habilitation.number,
            },
            authority=resolve_authority(None),
            submitted_at=timezone.now(),
        )
        taxes = new_vehicle.breakdown(demarche, timezone.localdate())
        NewRegistration.objects.create(
            demarche=demarche,
            taxes=taxes.as_json(),
            amount_cents=taxes.total_cents,
            paid_at=timezone.now(),
        )
        new_vehicle.on_submitted(demarche, actor=garage)
        record_submission(demarche, garage)
    record = new_vehicle_state.record_of(demarche)
    if record is None or record.vehicle is None:
        return []
    vehicle = record.vehicle
    return [
        DemoCredential(
            "Professionnel habilité SIV : véhicule neuf immatriculé",
            vehicle.plate_display,
            reverse("vehicules:neuf_finalisation", args=[demarche.number]),
            f"{vehicle.make} {vehicle.commercial_name} de {vehicle.titulaire.display_name}, "
            f"démarche {demarche.display_number}, CPI {record.cpi_number}",
        )
    ]
