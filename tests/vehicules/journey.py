"""Builders of the buyer's journey for the tests (Django test client)."""

from django.urls import reverse

from tests.paiements.helpers import CARDS, pay
from titres.paiements.models import Payment
from titres.procedures.models import Demarche
from titres.vehicules.changement.procedure import CODE

START = {
    "pour_qui": "moi",
    "a_code_cession": "oui",
    "action": "next",
}
HOLDER = {
    "ancien_titulaire_verifie": "on",
    "date_cession": "01/06/2026",
    "heure_cession": "10:00",
    "kilometrage": "48250",
    "usage": "personnel",
    "adresse": "3 place Bellecour",
    "code_postal": "69002",
    "commune": "Lyon",
    "action": "next",
}
SUMMARY = {"exactitude": "on", "sanctions": "on", "donnees": "on", "action": "next"}


def step_url(demarche, slug):
    return reverse("procedures:step", args=[demarche.number, slug])


def start(client) -> Demarche:
    response = client.post(reverse("vehicules:nouvelle_demande"), {"type_demande": CODE})
    assert response.status_code == 302, response.content[:400]
    return Demarche.objects.filter(procedure_code=CODE).latest("created_at")


def fill_until_payment(client, demarche, *, start_data, holder=None):
    response = client.post(step_url(demarche, "pour-commencer"), start_data)
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    response = client.post(step_url(demarche, "nouveau-titulaire"), {**HOLDER, **(holder or {})})
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(step_url(demarche, "recapitulatif"), SUMMARY)
    assert response.status_code == 302, response.context["form"].errors
    return response


def pay_taxes(client, demarche, capture, card="accepte"):
    response = client.post(reverse("vehicules:payer", args=[demarche.number]))
    assert response.status_code == 302
    payment = Payment.objects.latest("created_at")
    pay(client, payment, CARDS[card], capture)
    payment.refresh_from_db()
    return payment
