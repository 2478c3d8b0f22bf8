"""Déclaration de cession on a client's behalf: the professional names the
client, who must be the holder in the registry; the code is shown once to
the professional, who hands it to the buyer."""

import pytest
from django.urls import reverse

from titres.vehicules.models import CessionDeclaration

from .factories import VehicleFactory
from .pro import garage
from .test_cession_views import FORM

pytestmark = pytest.mark.django_db


def test_garage_declares_the_sale_for_its_client(client, django_capture_on_commit_callbacks):
    habilitation = garage(client)
    VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    page = client.get(reverse("vehicules:cession_declarer")).content.decode()
    assert "Nom du client (titulaire du véhicule)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("vehicules:cession_declarer"),
            {**FORM, "client_nom": "Moreau", "client_prenoms": "Jeanne"},
        )
    declaration = CessionDeclaration.objects.get()
    assert response.url == reverse("vehicules:cession_resultat", args=[declaration.pk])
    assert declaration.seller == habilitation.user and declaration.seller_last_name == "MOREAU"
    result = client.get(response.url).content.decode()
    assert "Code de cession à transmettre à l’acquéreur" in result


def test_the_client_must_be_the_holder(client):
    garage(client)
    VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    response = client.post(
        reverse("vehicules:cession_declarer"),
        {**FORM, "client_nom": "Durand", "client_prenoms": "Paul"},
    )
    assert response.status_code == 400
    assert (
        "Votre client n’apparaît pas comme titulaire ou cotitulaire de ce véhicule"
        in response.content.decode()
    )
    assert not CessionDeclaration.objects.exists()


def test_the_client_is_required(client):
    garage(client)
    VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    response = client.post(reverse("vehicules:cession_declarer"), FORM)
    errors = response.context["form"].errors
    assert errors["client_nom"] == ["Ce champ est obligatoire."]


def test_pro_space_offers_the_declaration(client):
    garage(client)
    response = client.post(
        reverse("vehicules:pro_nouvelle_demande"), {"type_demande": "declaration-cession"}
    )
    assert response.url == reverse("vehicules:cession_declarer")
