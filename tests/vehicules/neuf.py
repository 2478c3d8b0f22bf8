"""Builders for the new vehicle's registration tests: a dealer's file
filled until the payment."""

from django.urls import reverse

from tests.permis.wizard_helpers import upload
from titres.procedures.models import Demarche
from titres.vehicules.neuf.state import CODE

from .journey import step_url

COC = {
    "vin": "VF1RJA00068123456",
    "type_variante": "rja1e2mt6",
    "marque": "Renault",
    "denomination": "Clio",
    "genre": "VP",
    "energie": "ES",
    "puissance_fiscale": "5",
    "co2": "130",
    "masse_ordre_marche": "1450",
    "ptac": "1700",
    "places": "5",
    "action": "next",
}
PERSON = {
    "kind": "physique",
    "nom": "Lefèvre",
    "prenoms": "Claire",
    "date_naissance": "03/04/1985",
    "adresse": "4 place Stanislas",
    "code_postal": "54000",
    "commune": "Nancy",
    "email": "claire.lefevre@example.org",
    "action": "next",
}
COMPANY = {
    "kind": "morale",
    "raison_sociale": "Transports Lorrains",
    "siret": "73282932000074",
    "adresse": "2 rue de la Gare",
    "code_postal": "54000",
    "commune": "Nancy",
    "action": "next",
}
RECAP = {"exactitude": "on", "sanctions": "on", "action": "next"}


def start_new_vehicle(client) -> Demarche:
    response = client.post(reverse("vehicules:pro_nouvelle_demande"), {"type_demande": CODE})
    assert response.status_code == 302, response
    return Demarche.objects.filter(procedure_code=CODE).latest("created_at")


def new_vehicle_until_payment(client, *, coc=None, customer=None) -> Demarche:
    demarche = start_new_vehicle(client)
    response = client.post(step_url(demarche, "certificat-conformite"), {**COC, **(coc or {})})
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(step_url(demarche, "client"), customer or PERSON)
    assert response.status_code == 302, response.context["form"].errors
    upload(client, demarche, "certificat_conformite")
    upload(client, demarche, "mandat_cerfa_13757")
    company = (customer or PERSON)["kind"] == "morale"
    upload(client, demarche, "kbis_client" if company else "piece_identite_client")
    response = client.post(step_url(demarche, "recapitulatif"), RECAP)
    assert response.status_code == 302, response.context["form"].errors
    return demarche
