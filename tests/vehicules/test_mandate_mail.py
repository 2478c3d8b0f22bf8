"""The client's e-mail when a professional files an address change or a
duplicate under mandate (professionnels/mandate.notify_client, the same as
for the change of holder and the new vehicle): sent, in French, saying what
was filed, by whom, the number, the label or the CPI; none without an
address."""

import pytest

from tests.permis.wizard_helpers import upload

from .certificat import ADDRESS, DUPLICATE_SUMMARY, submit
from .factories import VehicleFactory
from .journey import pay_taxes, step_url
from .pro import garage, start_for_client

pytestmark = pytest.mark.django_db

EMAIL = "jeanne.moreau@example.org"
CLIENT = {
    "pour_qui": "mandat",
    "titulaire_nom": "Moreau",
    "titulaire_prenoms": "Jeanne",
    "titulaire_date_naissance": "01/02/1970",
    "titulaire_email": EMAIL,
    "action": "next",
}
SUBJECT = "Demande d’immatriculation à votre nom pour le véhicule"


def _start(client, code, vehicle, **data):
    demarche = start_for_client(client, code)
    response = client.post(
        step_url(demarche, "pour-commencer"),
        {
            **CLIENT,
            "immatriculation": vehicle.plate_display,
            "numero_formule": vehicle.formule_number,
            **data,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    upload(client, demarche, "mandat_cerfa_13757")
    upload(client, demarche, "piece_identite_client")
    return demarche


def _file_address_change(client, capture, vehicle, **data):
    demarche = _start(client, "vehicule-changement-adresse", vehicle, **data)
    response = client.post(step_url(demarche, "nouvelle-adresse"), ADDRESS)
    assert response.status_code == 302, response.context["form"].errors
    with capture(execute=True):
        submit(client, demarche)
    assert demarche.status == "EN_COURS"
    return demarche


def _file_duplicate(client, capture, vehicle, **data):
    demarche = _start(client, "vehicule-duplicata", vehicle, **data)
    response = client.post(step_url(demarche, "recapitulatif"), DUPLICATE_SUMMARY)
    assert response.status_code == 302, response.context["form"].errors
    pay_taxes(client, demarche, capture)
    demarche.refresh_from_db()
    assert demarche.status == "EN_COURS"
    return demarche


def _to_client(mailoutbox):
    return [m for m in mailoutbox if SUBJECT in m.subject]


def test_the_client_is_told_of_the_address_change(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    garage(client, organisation_name="Garage du Centre")
    vehicle = VehicleFactory()
    demarche = _file_address_change(client, django_capture_on_commit_callbacks, vehicle)
    [mail] = _to_client(mailoutbox)
    assert mail.to == [EMAIL]
    assert mail.subject == f"{SUBJECT} {vehicle.plate_display}"
    assert mail.body.startswith("Bonjour MOREAU Jeanne,")
    assert "Garage du Centre, professionnel de l’automobile habilité SIV (n° " in mail.body.replace(
        "\n", " "
    )
    body = " ".join(mail.body.split())
    assert (
        "a enregistré en votre nom, sous mandat, une demande de changement d’adresse pour le "
        f"véhicule immatriculé {vehicle.plate_display}." in body
    )
    assert f"Numéro de la démarche : {demarche.display_number}" in body
    # The first change is a label by post: no CPI, no new card announced.
    assert (
        "L’étiquette n° 1 portant votre nouvelle adresse vous sera envoyée par courrier : "
        "collez-la sur votre carte grise, dans le cadre prévu à cet effet." in body
    )
    assert "Certificat provisoire" not in body and "carte grise définitive" not in body


def test_the_client_is_told_of_the_duplicate_and_its_cpi(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    from titres.vehicules.models import CertificateOperation

    garage(client, organisation_name="Garage du Centre")
    vehicle = VehicleFactory()
    demarche = _file_duplicate(
        client,
        django_capture_on_commit_callbacks,
        vehicle,
        motif="vol",
        numero_plainte="PV 2026/004512",
    )
    operation = CertificateOperation.objects.get(demarche=demarche)
    [mail] = _to_client(mailoutbox)
    assert mail.to == [EMAIL]
    body = " ".join(mail.body.split())
    assert (
        "a enregistré en votre nom, sous mandat, une demande de duplicata du certificat "
        f"d’immatriculation pour le véhicule immatriculé {vehicle.plate_display}." in body
    )
    assert f"Numéro de la démarche : {demarche.display_number}" in body
    assert (
        f"Certificat provisoire d’immatriculation (CPI) n° {operation.cpi_number}, valable "
        f"jusqu’au {operation.cpi_valid_until:%d/%m/%Y} en France uniquement" in body
    )
    assert "La carte grise définitive vous sera envoyée par courrier" in body
    assert "étiquette" not in body


@pytest.mark.parametrize("procedure", ["adresse", "duplicata"])
def test_no_mail_to_the_client_without_an_address(
    client, django_capture_on_commit_callbacks, mailoutbox, procedure
):
    garage(client)
    vehicle = VehicleFactory()
    if procedure == "adresse":
        _file_address_change(
            client, django_capture_on_commit_callbacks, vehicle, titulaire_email=""
        )
    else:
        _file_duplicate(
            client, django_capture_on_commit_callbacks, vehicle, motif="perte", titulaire_email=""
        )
    assert _to_client(mailoutbox) == []


def test_a_citizens_own_address_change_sends_no_mandate_mail(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    from .certificat import change_address, holder_citizen

    holder_citizen(client)
    demarche = change_address(client, VehicleFactory())
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, demarche)
    assert demarche.status == "EN_COURS"
    assert _to_client(mailoutbox) == []
