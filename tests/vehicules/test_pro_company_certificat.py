"""The address change and the duplicate under mandate for a company client
(issue 18): raison sociale and SIRET checked as on the change of holder, the
SIRET matched against the registry's titulaire, the K-bis instead of an ID,
holder and filer shown, the CERT's panel comparing the company by SIRET."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.permis.wizard_helpers import upload
from titres.procedures.enums import Status
from titres.procedures.hooks import agent_panel_of
from titres.vehicules.certificat import adresse, duplicata
from titres.vehicules.certificat.common import document_rules
from titres.vehicules.enums import PersonKind
from titres.vehicules.models import Holder

from .certificat import ADDRESS, DUPLICATE_SUMMARY, submit
from .factories import HolderFactory, VehicleFactory
from .journey import pay_taxes, step_url
from .pro import garage, start_for_client

pytestmark = pytest.mark.django_db

SIRET = "73282932000074"
COMPANY = {
    "pour_qui": "mandat",
    "titulaire_type": "morale",
    "titulaire_raison_sociale": "Transports Martin",
    "titulaire_siret": "732 829 320 00074",
    "titulaire_nom": "",
    "titulaire_prenoms": "",
    "titulaire_date_naissance": "",
    "titulaire_email": "flotte@transports-martin.example",
    "action": "next",
}


def company_vehicle():
    vehicle = VehicleFactory(holder=False)
    HolderFactory(
        vehicle=vehicle,
        since=vehicle.ci_date,
        person_kind=PersonKind.MORALE,
        company_name="Transports Martin",
        siret=SIRET,
        last_name="",
        first_names="",
        birth_date=None,
    )
    return vehicle


def pdf_text(response) -> str:
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    return " ".join(text.split())


def start_address_change(client, vehicle, **changes):
    demarche = start_for_client(client, adresse.CODE)
    response = client.post(
        step_url(demarche, "pour-commencer"),
        {
            **COMPANY,
            "immatriculation": vehicle.plate_display,
            "numero_formule": vehicle.formule_number,
            **changes,
        },
    )
    return demarche, response


def test_a_garage_changes_a_company_clients_address(client):
    garage(client, organisation_name="Garage du Centre")
    vehicle = company_vehicle()
    demarche, response = start_address_change(client, vehicle)
    assert response.status_code == 302, response.context["form"].errors
    demarche.refresh_from_db()
    assert demarche.acting_for["raison_sociale"] == "Transports Martin"
    assert (
        demarche.acting_for["siret"] == SIRET and demarche.acting_for["nom"] == "Transports Martin"
    )
    # The K-bis, not an ID document.
    assert [rule.code for rule in document_rules(demarche)] == ["mandat_cerfa_13757", "kbis_client"]
    client.post(step_url(demarche, "nouvelle-adresse"), ADDRESS)
    upload(client, demarche, "mandat_cerfa_13757")
    upload(client, demarche, "kbis_client")
    submit(client, demarche)
    assert demarche.status == Status.EN_COURS
    assert Holder.objects.get(vehicle=vehicle).address == "8 rue des Carmes"
    final = client.get(reverse("vehicules:operation_finalisation", args=[demarche.number]))
    text = " ".join(final.content.decode().split())
    assert "Transports Martin (SIRET 73282932000074)" in text
    assert "Garage du Centre (mandataire, habilitation SIV n°" in text
    accuse = pdf_text(client.get(reverse("vehicules:operation_accuse", args=[demarche.number])))
    assert "Raison sociale Transports Martin" in accuse and "SIRET 73282932000074" in accuse
    assert "Garage du Centre (mandataire" in accuse
    # The CERT compares the company by its SIRET, not as a person.
    rows = {row.label: row for row in agent_panel_of(demarche).rows}
    holder = rows["Titulaire"]
    assert holder.declared == "Transports Martin (SIRET 73282932000074)"
    assert holder.recorded == "Transports Martin (SIRET 73282932000074)"
    assert not holder.differs


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"titulaire_siret": "35600000000048"},  # valid (La Poste), not the holder's
            "immatriculation",
            "La société cliente n’apparaît pas comme titulaire ou cotitulaire de ce véhicule : "
            "indiquez le numéro SIRET inscrit sur la carte grise (le mandant doit en être le "
            "titulaire).",
        ),
        (
            {"titulaire_siret": "73282932000075"},
            "titulaire_siret",
            "Le numéro SIRET n’est pas valide (14 chiffres, clé de contrôle).",
        ),
        (
            {"titulaire_siret": ""},
            "titulaire_siret",
            "Indiquez le numéro SIRET de la société cliente.",
        ),
        (
            {"titulaire_raison_sociale": ""},
            "titulaire_raison_sociale",
            "Indiquez la raison sociale de la société cliente.",
        ),
    ],
)
def test_company_client_refusals_on_the_address_change(client, changes, field, message):
    garage(client)
    vehicle = company_vehicle()
    demarche, response = start_address_change(client, vehicle, **changes)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    demarche.refresh_from_db()
    assert not demarche.acting_for


def test_a_person_client_cannot_claim_a_companys_vehicle_nor_the_reverse(client):
    garage(client)
    vehicle = company_vehicle()
    demarche, response = start_address_change(
        client,
        vehicle,
        titulaire_type="physique",
        titulaire_nom="Martin",
        titulaire_prenoms="Paul",
        titulaire_date_naissance="01/02/1970",
    )
    assert (
        response.context["form"]
        .errors["immatriculation"][0]
        .startswith("Votre client n’apparaît pas comme titulaire ou cotitulaire de ce véhicule")
    )
    person_vehicle = VehicleFactory()  # Jeanne MOREAU
    _demarche, response = start_address_change(client, person_vehicle)
    assert (
        response.context["form"]
        .errors["immatriculation"][0]
        .startswith("La société cliente n’apparaît pas comme titulaire ou cotitulaire")
    )


def test_a_garage_asks_a_duplicate_for_a_company_client(client, django_capture_on_commit_callbacks):
    garage(client, organisation_name="Garage du Centre")
    vehicle = company_vehicle()
    old_formule = vehicle.formule_number
    demarche = start_for_client(client, duplicata.CODE)
    response = client.post(
        step_url(demarche, "pour-commencer"),
        {**COMPANY, "immatriculation": vehicle.plate_display, "motif": "perte"},
    )
    assert response.status_code == 302, response.context["form"].errors
    upload(client, demarche, "mandat_cerfa_13757")
    upload(client, demarche, "kbis_client")
    response = client.post(step_url(demarche, "recapitulatif"), DUPLICATE_SUMMARY)
    assert response.status_code == 302, response.context["form"].errors
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    vehicle.refresh_from_db()
    assert vehicle.formule_number != old_formule
    final = client.get(reverse("vehicules:operation_finalisation", args=[demarche.number]))
    text = " ".join(final.content.decode().split())
    assert "Transports Martin (SIRET 73282932000074)" in text and "Garage du Centre" in text
    rows = {row.label: row for row in agent_panel_of(demarche).rows}
    assert rows["Titulaire"].declared == "Transports Martin (SIRET 73282932000074)"
    assert not rows["Titulaire"].differs
    # A duplicate for a company that is not the holder is refused the same way.
    other = start_for_client(client, duplicata.CODE)
    refused = client.post(
        step_url(other, "pour-commencer"),
        {
            **COMPANY,
            "titulaire_siret": "35600000000048",
            "immatriculation": VehicleFactory().plate_display,
            "motif": "perte",
        },
    )
    assert (
        refused.context["form"]
        .errors["immatriculation"][0]
        .startswith("La société cliente n’apparaît pas comme titulaire ou cotitulaire")
    )


def test_the_change_of_holder_panel_compares_a_company_client_by_siret(
    client, django_capture_on_commit_callbacks
):
    from .factories import declared
    from .journey import HOLDER, SUMMARY
    from .test_pro_company_client import TO_COMPANY, step1

    garage(client)
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle, buyer=TO_COMPANY)
    demarche = start_for_client(client)
    response = step1(client, demarche, immatriculation="FG-123-HJ", code_cession=sold.code_display)
    assert response.status_code == 302, response.context["form"].errors
    upload(client, demarche, "mandat_cerfa_13757")
    upload(client, demarche, "kbis_client")
    client.post(step_url(demarche, "nouveau-titulaire"), HOLDER)
    client.post(step_url(demarche, "recapitulatif"), SUMMARY)
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    rows = {row.label: row for row in agent_panel_of(demarche).rows}
    row = rows["Nouveau titulaire / acquéreur déclaré par le vendeur"]
    assert row.declared == f"Transports Martin (SIRET {SIRET})"
    assert row.recorded == f"Transports Martin (SIRET {SIRET})"
    assert not row.differs
