"""What the new vehicle's registration knows about a démarche: its step
slugs, the certificate of conformity and the client as answered, and the
démarche's `NewRegistration`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..changement import state as holder_state

CODE = "vehicule-immatriculation-neuf"
CONFORMITY = "certificat-conformite"
CLIENT = "client"
DOCUMENTS = "pieces-justificatives"
SUMMARY = holder_state.SUMMARY
PAYMENT = holder_state.PAYMENT
CLIENT_PERSON = "physique"
CLIENT_COMPANY = "morale"


def conformity_answers(demarche) -> dict:
    return (demarche.answers or {}).get(CONFORMITY) or {}


def client_answers(demarche) -> dict:
    return (demarche.answers or {}).get(CLIENT) or {}


def record_of(demarche):
    from .models import NewRegistration

    return (
        NewRegistration.objects.filter(demarche=demarche)
        .select_related("vehicle", "demarche__owner")
        .first()
    )


def _int(value) -> int | None:
    return int(value) if value not in (None, "") else None


@dataclass(frozen=True)
class Conformity:
    """The certificate of conformity's fields the taxes read (the
    `vehicle=` of taxes.compute_first_registration)."""

    vin: str
    vehicle_type: str
    make: str
    commercial_name: str
    category: str
    energy: str
    fiscal_power: int
    co2: int | None
    mass_kg: int | None
    gross_weight_kg: int | None
    seats: int | None


def conformity_of(demarche) -> Conformity | None:
    answers = conformity_answers(demarche)
    if not answers.get("vin"):
        return None
    return Conformity(
        vin=answers["vin"],
        vehicle_type=answers.get("type_variante", ""),
        make=answers.get("marque", ""),
        commercial_name=answers.get("denomination", ""),
        category=answers.get("genre", ""),
        energy=answers.get("energie", ""),
        fiscal_power=int(answers.get("puissance_fiscale") or 0),
        co2=_int(answers.get("co2")),
        mass_kg=_int(answers.get("masse_ordre_marche")),
        gross_weight_kg=_int(answers.get("ptac")),
        seats=_int(answers.get("places")),
    )


def day(value) -> date | None:
    if isinstance(value, date) or value in (None, ""):
        return value or None
    return date.fromisoformat(str(value)[:10])
