"""Builders for the professionals' tests: a habilitated garage signed in,
and a client's change of holder filed under mandate."""

from django.urls import reverse

from tests.accounts.factories import HabilitationFactory
from tests.permis.wizard_helpers import upload
from titres.procedures.models import Demarche
from titres.vehicules.changement.procedure import CODE

from .journey import HOLDER, SUMMARY, step_url

CLIENT = {
    "pour_qui": "mandat",
    "titulaire_nom": "Mercier",
    "titulaire_prenoms": "Pierre",
    "titulaire_date_naissance": "15/01/1990",
    "titulaire_email": "pierre.mercier@example.org",
    "a_code_cession": "oui",
    "action": "next",
}


def garage(client, **kwargs):
    habilitation = HabilitationFactory(**kwargs)
    client.force_login(habilitation.user)
    return habilitation


def start_for_client(client, code=CODE) -> Demarche:
    response = client.post(reverse("vehicules:pro_nouvelle_demande"), {"type_demande": code})
    assert response.status_code == 302, response
    return Demarche.objects.filter(procedure_code=code).latest("created_at")


def file_until_payment(client, demarche, *, plate, code, holder=None, client_data=None):
    response = client.post(
        step_url(demarche, "pour-commencer"),
        {**CLIENT, "immatriculation": plate, "code_cession": code, **(client_data or {})},
    )
    assert response.status_code == 302, response.context["form"].errors
    upload(client, demarche, "mandat_cerfa_13757")
    upload(client, demarche, "piece_identite_client")
    response = client.post(
        step_url(demarche, "nouveau-titulaire"), {**HOLDER, "sexe": "M", **(holder or {})}
    )
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(step_url(demarche, "recapitulatif"), SUMMARY)
    assert response.status_code == 302, response.context["form"].errors
