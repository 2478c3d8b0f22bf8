"""A professional's client under mandate may be a company (issue 18): raison
sociale and SIRET (stdnum.fr.siret, La Poste's SIRETs accepted), the
K-bis instead of an ID document, the CPI and accusé in the company's name,
the company as titulaire in the registry once validated."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.permis.wizard_helpers import upload
from titres.procedures.enums import Status
from titres.vehicules.changement import decisions
from titres.vehicules.changement.procedure import document_rules
from titres.vehicules.enums import PersonKind
from titres.vehicules.models import ChangeOfHolder
from titres.vehicules.services.cession import Buyer

from .factories import VehicleFactory, declared
from .journey import HOLDER, SUMMARY, pay_taxes, step_url
from .pro import CLIENT, garage, start_for_client

pytestmark = pytest.mark.django_db

LA_POSTE = "35600000000048"
COMPANY = {
    "titulaire_type": "morale",
    "titulaire_raison_sociale": "Transports Martin",
    "titulaire_siret": "732 829 320 00074",
    "titulaire_nom": "",
    "titulaire_prenoms": "",
    "titulaire_date_naissance": "",
}
TO_COMPANY = Buyer(
    kind=PersonKind.MORALE,
    company_name="Transports Martin",
    siret="73282932000074",
    address="3 place Bellecour",
    postal_code="69002",
    commune="Lyon",
)


def pdf_text(response) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def step1(client, demarche, **changes):
    return client.post(step_url(demarche, "pour-commencer"), {**CLIENT, **COMPANY, **changes})


def step1_errors(client, demarche, **changes):
    response = step1(client, demarche, **changes)
    assert response.status_code == 200
    return [str(e) for errors in response.context["form"].errors.values() for e in errors]


def test_change_of_holder_for_a_company_client(client, django_capture_on_commit_callbacks):
    habilitation = garage(client, organisation_name="Garage du Centre")
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle, buyer=TO_COMPANY)
    demarche = start_for_client(client)
    response = step1(client, demarche, immatriculation="FG-123-HJ", code_cession=sold.code_display)
    assert response.status_code == 302, response.context["form"].errors
    demarche.refresh_from_db()
    assert demarche.acting_for["raison_sociale"] == "Transports Martin"
    assert demarche.acting_for["siret"] == "73282932000074"
    assert demarche.acting_for["nom"] == "Transports Martin"
    assert [rule.code for rule in document_rules(demarche)] == ["mandat_cerfa_13757", "kbis_client"]
    upload(client, demarche, "mandat_cerfa_13757")
    upload(client, demarche, "kbis_client")
    page = client.get(step_url(demarche, "nouveau-titulaire")).content.decode()
    assert "Transports Martin" in page and "Sexe" not in page
    response = client.post(step_url(demarche, "nouveau-titulaire"), HOLDER)
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(step_url(demarche, "recapitulatif"), SUMMARY)
    assert response.status_code == 302, response.context["form"].errors
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS and demarche.owner == habilitation.user
    final = client.get(reverse("vehicules:finalisation", args=[demarche.number])).content.decode()
    assert "TRANSPORTS MARTIN" in final and "SIRET 73282932000074" in final
    cpi = pdf_text(client.get(reverse("vehicules:cpi", args=[demarche.number])))
    assert "Transports Martin" in cpi and "73282932000074" in cpi
    assert "Garage du Centre (mandataire" in cpi and "Prénoms" not in cpi
    accuse = pdf_text(client.get(reverse("vehicules:accuse", args=[demarche.number])))
    assert "TRANSPORTS MARTIN" in accuse
    [holder] = decisions.holders_of(demarche)
    assert holder.person_kind == PersonKind.MORALE
    assert (holder.company_name, holder.siret) == ("Transports Martin", "73282932000074")
    assert holder.postal_code == "69002"
    assert ChangeOfHolder.objects.get(demarche=demarche).cpi_number


def test_la_postes_siret_is_accepted(client):
    garage(client)
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    demarche = start_for_client(client)
    response = step1(
        client,
        demarche,
        immatriculation="FG-123-HJ",
        a_code_cession="non",
        numero_formule="2019FG04521",
        titulaire_raison_sociale="La Poste",
        titulaire_siret=LA_POSTE,
    )
    assert response.status_code == 302, response.context["form"].errors
    demarche.refresh_from_db()
    assert demarche.acting_for["siret"] == LA_POSTE
    assert vehicle.pk == demarche.answers["pour-commencer"]["vehicule"]


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"titulaire_siret": "73282932000075"},
            "Le numéro SIRET n’est pas valide (14 chiffres, clé de contrôle).",
        ),
        ({"titulaire_siret": ""}, "Indiquez le numéro SIRET de la société cliente."),
        ({"titulaire_raison_sociale": ""}, "Indiquez la raison sociale de la société cliente."),
    ],
)
def test_company_client_refusals(client, changes, message):
    garage(client)
    VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    demarche = start_for_client(client)
    errors = step1_errors(
        client,
        demarche,
        immatriculation="FG-123-HJ",
        a_code_cession="non",
        numero_formule="2019FG04521",
        **changes,
    )
    assert message in errors


def test_the_code_must_have_been_issued_to_the_company(client):
    garage(client)
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle)  # to Pierre MERCIER
    demarche = start_for_client(client)
    errors = step1_errors(
        client, demarche, immatriculation="FG-123-HJ", code_cession=sold.code_display
    )
    assert errors == [
        "Ce code de cession a été délivré pour un autre acquéreur : le nouveau titulaire doit "
        "être la personne que le vendeur a déclarée."
    ]
