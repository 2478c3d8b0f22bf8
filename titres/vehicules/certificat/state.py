"""What the address change and the duplicate know about a démarche: the
step slugs (those of the change of holder, so that the shared template
helpers read them), the filer's identity, and the démarche's
`CertificateOperation`."""

from __future__ import annotations

from datetime import date

from ..changement import state as holder_state
from ..models import CertificateOperation

START = holder_state.START
MANDATE = holder_state.MANDATE
ADDRESS = "nouvelle-adresse"
SUMMARY = holder_state.SUMMARY
PAYMENT = holder_state.PAYMENT
POUR_MOI = "moi"
POUR_MANDAT = holder_state.POUR_MANDAT
CLIENT_COMPANY = holder_state.CLIENT_COMPANY


def start_answers(demarche) -> dict:
    return (demarche.answers or {}).get(START) or {}


def under_mandate(answers) -> bool:
    return (answers.get(START) or {}).get("pour_qui") == POUR_MANDAT


def company_client(demarche) -> dict:
    """{"raison_sociale", "siret"} of a professional's company client (empty
    for a person), as the change of holder reads it."""
    return holder_state.company_client(demarche.answers or {})


def vehicle_of(demarche):
    return holder_state.vehicle_of(demarche)


def operation_of(demarche) -> CertificateOperation | None:
    return (
        CertificateOperation.objects.filter(demarche=demarche)
        .select_related("vehicle", "demarche__owner")
        .first()
    )


def _day(value) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    return date.fromisoformat(str(value)[:10]) if value else None


def holder_identity(demarche, start: dict) -> tuple[str, str, date | None]:
    """(last name, first names, birth date) of the person the certificate
    is in the name of: the professional's client as typed in step 1, or
    the filer as FranceConnect certified them."""
    if start.get("pour_qui") == POUR_MANDAT and start.get("titulaire_type") == CLIENT_COMPANY:
        return start.get("titulaire_raison_sociale", ""), "", None
    if start.get("pour_qui") == POUR_MANDAT:
        return (
            start.get("titulaire_nom", ""),
            start.get("titulaire_prenoms", ""),
            _day(start.get("titulaire_date_naissance")),
        )
    if demarche.owner is None:  # filer's account deleted (terminated habilitation)
        return "", "", None
    identity = holder_state.franceconnect_identity(demarche.owner)
    if identity is not None:
        return identity.family_name, identity.given_name, _day(identity.birthdate)
    return demarche.owner.last_name, demarche.owner.first_name, None
