"""The back-office hooks of the new vehicle's registration
(ProcedureDefinition, titres/procedures/backoffice.py): the client and the
VIN for the search, the client as the person, and the SIV panel — the
certificate of conformity and the client beside what the registry
recorded at submission. The only code that reads this procedure's answers
for the back office."""

from __future__ import annotations

from django.utils.translation import gettext as _

from titres.procedures.backoffice import ComparisonRow, Person, SearchValues

from ..changement.backoffice import names_of, situation_row, siv_panel
from ..enums import VehicleRejectReason
from . import state


def _client(demarche) -> tuple[str, str]:
    client = state.client_answers(demarche)
    if client.get("kind") == state.CLIENT_COMPANY:
        return client.get("raison_sociale", ""), ""
    return client.get("nom", ""), client.get("prenoms", "")


def search_values(demarche) -> SearchValues:
    client = state.client_answers(demarche)
    last, first = _client(demarche)
    record = state.record_of(demarche)
    return SearchValues(
        last_name=last,
        first_names=names_of(first),
        birth_date=state.day(client.get("date_naissance")),
        reference=(record.new_plate if record else "")
        or state.conformity_answers(demarche).get("vin", ""),
        postal_code=str(client.get("code_postal") or ""),
    )


def person(demarche) -> Person:
    client = state.client_answers(demarche)
    last, first = _client(demarche)
    details = [(str(_("VIN")), state.conformity_answers(demarche).get("vin", ""))]
    if client.get("siret"):
        details.append((str(_("SIRET")), client["siret"]))
    return Person(
        last_name=last,
        first_names=names_of(first),
        birth_date=state.day(client.get("date_naissance")),
        details=details,
    )


def agent_panel(demarche):
    record = state.record_of(demarche)
    vehicle = record.vehicle if record else None
    if vehicle is None:
        return siv_panel(None, [])
    conformity = state.conformity_of(demarche)
    last, first = _client(demarche)
    titulaire = vehicle.titulaire
    declared_holder = f"{last.upper()} {first}".strip()
    rows = [
        ComparisonRow(
            label=str(_("Numéro d’immatriculation attribué")), recorded=vehicle.plate_display
        ),
        ComparisonRow(
            label=str(_("VIN (certificat de conformité)")),
            declared=conformity.vin,
            recorded=vehicle.vin,
            differs=conformity.vin != vehicle.vin,
        ),
        ComparisonRow(
            label=str(_("Véhicule")),
            declared=f"{conformity.make} {conformity.commercial_name} {conformity.vehicle_type}",
            recorded=f"{vehicle.make} {vehicle.commercial_name} {vehicle.vehicle_type}",
        ),
        ComparisonRow(
            label=str(_("Titulaire")),
            declared=declared_holder,
            recorded=titulaire.display_name if titulaire else "",
            differs=titulaire is None,
        ),
        situation_row(vehicle),
    ]
    return siv_panel(vehicle, rows)


def hooks() -> dict:
    return {
        "search_values": search_values,
        "person": person,
        "agent_panel": agent_panel,
        "reject_reasons": [
            (reason.value, reason.label)
            for reason in (VehicleRejectReason.CONFORMITE, VehicleRejectReason.MANDAT)
        ],
    }
