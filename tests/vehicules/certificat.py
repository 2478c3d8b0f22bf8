"""Builders of the address change's and the duplicate's tests."""

from datetime import date

from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.franceconnect.factories import FranceConnectIdentityFactory
from titres.procedures.models import Demarche
from titres.vehicules.certificat import adresse, duplicata

from .journey import step_url

ADDRESS = {
    "adresse": "8 rue des Carmes",
    "code_postal": "54000",
    "commune": "Nancy",
    "date_demenagement": "01/11/2026",
    "action": "next",
}


def holder_citizen(client):
    """Jeanne MOREAU (the factories' titulaire), signed in through
    FranceConnect."""
    user = UserFactory(first_name="Jeanne", last_name="Moreau", email="jeanne.moreau@example.fr")
    FranceConnectIdentityFactory(
        user=user,
        given_name="Jeanne",
        family_name="MOREAU",
        birthdate=date(1970, 2, 1),
        gender="female",
    )
    client.force_login(user)
    return user


def start(client, code) -> Demarche:
    response = client.post(reverse("vehicules:nouvelle_demande"), {"type_demande": code})
    assert response.status_code == 302, response
    return Demarche.objects.filter(procedure_code=code).latest("created_at")


def change_address(client, vehicle, *, address=None, start_data=None) -> Demarche:
    demarche = start(client, adresse.CODE)
    response = client.post(
        step_url(demarche, "pour-commencer"),
        {
            "pour_qui": "moi",
            "immatriculation": vehicle.plate_display,
            "numero_formule": vehicle.formule_number,
            "date_ci": "" if vehicle.is_siv else vehicle.ci_date.strftime("%d/%m/%Y"),
            "action": "next",
            **(start_data or {}),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(step_url(demarche, "nouvelle-adresse"), {**ADDRESS, **(address or {})})
    assert response.status_code == 302, response.context["form"].errors
    return demarche


def submit(client, demarche):
    response = client.post(
        step_url(demarche, "recapitulatif"), {"attestation": "on", "action": "submit"}
    )
    assert response.status_code == 302, response.context and response.context.get("errors")
    demarche.refresh_from_db()
    return response


DUPLICATE_START = {"pour_qui": "moi", "motif": "perte", "action": "next"}
DUPLICATE_SUMMARY = {"exactitude": "on", "annulation": "on", "sanctions": "on", "action": "next"}


def duplicate_until_payment(client, vehicle, **start_data) -> Demarche:
    demarche = start(client, duplicata.CODE)
    response = client.post(
        step_url(demarche, "pour-commencer"),
        {**DUPLICATE_START, "immatriculation": vehicle.plate_display, **start_data},
    )
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(step_url(demarche, "recapitulatif"), DUPLICATE_SUMMARY)
    assert response.status_code == 302, response.context["form"].errors
    return demarche
