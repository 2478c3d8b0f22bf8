"""Certificat de situation administrative: public, the card is the key,
the same refusals as the change of holder, a signed 2D-Doc Z2, counted
per IP address."""

from datetime import date

import pytest
from django.urls import reverse

from titres.core import twoddoc
from titres.core.models import AuditEvent
from titres.vehicules import situation
from titres.vehicules.documents.situation_pdf import situation_twoddoc
from titres.vehicules.enums import HolderRole
from titres.vehicules.models import Holder

from .factories import VehicleFactory

pytestmark = pytest.mark.django_db
URL = reverse("vehicules:situation")


def _post(client, **data):
    return client.post(URL, data)


def test_the_form_is_public(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Obtenir un certificat de situation administrative" in response.content.decode()


def test_a_clean_siv_vehicle_with_its_formule_number(client):
    vehicle = VehicleFactory()
    Holder.objects.create(
        vehicle=vehicle,
        role=HolderRole.TITULAIRE,
        last_name="DURAND",
        first_names="Paul",
        since=date(2015, 1, 1),
        until=date(2019, 6, 12),
    )
    response = _post(
        client, immatriculation=vehicle.plate_display, numero_formule=vehicle.formule_number
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aucune inscription ne s’oppose à la vente de ce véhicule" in body
    report = response.context["report"]
    assert report.clear and report.codes == "AUCUNE"
    assert report.holders_count == 2
    event = AuditEvent.objects.get(event="vehicules.situation_certificate_issued")
    assert event.data["numero"] == report.number
    assert event.object_id == str(vehicle.pk)


def test_an_fni_vehicle_with_its_ci_date_and_inscriptions(client):
    vehicle = VehicleFactory(fni=True, gage=True, opposition=True)
    response = _post(client, immatriculation=vehicle.plate_display, date_ci="18/03/2005")
    assert response.status_code == 200
    report = response.context["report"]
    assert not report.clear
    assert report.codes == "GAGE/OTCI"
    assert "Des inscriptions concernent ce véhicule" in response.content.decode()


def test_the_pdf_and_its_2d_doc_verify(client):
    vehicle = VehicleFactory(vol=True)
    response = _post(client, immatriculation=vehicle.plate, numero_formule=vehicle.formule_number)
    token = response.context["token"]
    pdf = client.get(reverse("vehicules:situation_pdf", args=[token]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    result = twoddoc.verify(situation_twoddoc(situation.report_from_token(token)))
    assert result.authentic, result.message
    values = result.values()
    assert values["A1"] == vehicle.plate_display
    assert values["ZA"] == "VOL"
    assert result.doc_type.code == "Z2"


def test_a_bad_token_is_404(client):
    assert client.get(reverse("vehicules:situation_pdf", args=["x:y"])).status_code == 404


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"immatriculation": "AB-123-CD", "numero_formule": "2019AB00001"},
            "immatriculation",
            "Aucun véhicule n’est immatriculé sous le numéro AB-123-CD : vérifiez le numéro "
            "inscrit sur votre carte grise (champ A).",
        ),
        (
            {"numero_formule": "2019ZZ99999"},
            "numero_formule",
            "Le numéro de formule ne correspond pas au certificat d’immatriculation de ce "
            "véhicule : recopiez-le tel qu’il est imprimé sur votre carte grise.",
        ),
        (
            {"date_ci": "01/01/2020"},
            "date_ci",
            "La date du certificat d’immatriculation (CI) ne correspond pas à celle de ce "
            "véhicule : reportez la date inscrite sur votre carte grise.",
        ),
        (
            {},
            "numero_formule",
            "Indiquez le numéro de formule de la carte grise (immatriculation SIV).",
        ),
        (
            {"immatriculation": "AB-123-IO"},
            "immatriculation",
            None,
        ),
    ],
)
def test_refusals_reveal_nothing(client, data, field, message):
    vehicle = VehicleFactory(gage=True)
    response = _post(client, **{"immatriculation": vehicle.plate_display, **data})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field]
    if message:
        assert form.errors[field] == [message]
    assert "report" not in response.context
    body = response.content.decode()
    assert vehicle.make not in body and "Gage" not in body
    assert not AuditEvent.objects.filter(event="vehicules.situation_certificate_issued").exists()


def test_fni_needs_the_ci_date(client):
    vehicle = VehicleFactory(fni=True)
    response = _post(client, immatriculation=vehicle.plate_display)
    assert response.context["form"].errors["date_ci"] == [
        "Indiquez la date du CI (immatriculation FNI)."
    ]


def test_lookups_are_limited_per_ip_address(client):
    vehicle = VehicleFactory()
    for _ in range(10):
        _post(client, immatriculation=vehicle.plate, numero_formule="2019ZZ99999")
    response = _post(client, immatriculation=vehicle.plate, numero_formule=vehicle.formule_number)
    assert response.context["form"].non_field_errors() == [
        "Trop de demandes de certificat de situation depuis votre connexion : réessayez dans "
        "une heure."
    ]
    assert "report" not in response.context
    other = client.post(
        URL,
        {"immatriculation": vehicle.plate, "numero_formule": vehicle.formule_number},
        REMOTE_ADDR="198.51.100.7",
    )
    assert other.context["report"].vehicle == vehicle


def _annulled(**kwargs):
    """A new vehicle whose registration the rejection of file N1 annulled
    (services/reverts.cancel_first_registration, as neuf/decisions does)."""
    from titres.vehicules.enums import RegistryEventKind
    from titres.vehicules.services.registry import add_entry
    from titres.vehicules.services.reverts import cancel_first_registration

    vehicle = VehicleFactory(**kwargs)
    add_entry(
        vehicle,
        kind=RegistryEventKind.IMMATRICULATION,
        label="Immatriculation",
        actor=None,
        demarche_number="N1",
    )
    assert cancel_first_registration(vehicle=vehicle, demarche_number="N1", actor=None)
    return vehicle


def test_an_annulled_registration_is_certified_as_annulled_never_as_valid(client):
    vehicle = _annulled(gage=True)
    response = _post(
        client, immatriculation=vehicle.plate_display, numero_formule=vehicle.formule_number
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert report.annulled and not report.clear
    assert report.codes == "ANNULEE/GAGE"
    body = response.content.decode()
    today = date.today().strftime("%d/%m/%Y")
    assert "Immatriculation annulée" in body
    assert (
        f"L’immatriculation {vehicle.plate_display} a été annulée le {today} dans le système "
        "d’immatriculation des véhicules : ce numéro n’est pas une immatriculation valable."
    ) in body
    assert "Aucune inscription ne s’oppose" not in body
    assert "à remettre à l’acquéreur" not in body
    assert "permet à l’acquéreur de vérifier" not in body
    assert "permet à quiconque le reçoit de vérifier" in body
    assert "Demande N1" not in body  # the file's number stays internal
    # The PDF says it first, and its signed 2D-Doc carries ANNULEE.
    token = response.context["token"]
    pdf = client.get(reverse("vehicules:situation_pdf", args=[token]))
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages).split()
    )
    assert "IMMATRICULATION ANNULÉE" in text
    assert "ce numéro n’est pas une immatriculation valable" in text
    assert "À remettre à l’acquéreur" not in text
    result = twoddoc.verify(situation_twoddoc(situation.report_from_token(token)))
    assert result.authentic, result.message
    assert result.values()["ZA"] == "ANNULEE/GAGE"


def test_an_annulled_registration_alone_is_annulee_in_the_2d_doc(client):
    vehicle = _annulled()
    response = _post(
        client, immatriculation=vehicle.plate_display, numero_formule=vehicle.formule_number
    )
    report = response.context["report"]
    assert report.codes == "ANNULEE"
    assert report.annulment.kind == "annulee"


def test_every_code_of_za_has_the_label_the_verification_page_shows():
    from titres.core.twoddoc.fields import FIELDS, SITUATION_CODES
    from titres.vehicules.situation import ANNULLED_CODE, LINES

    written = {code for _kind, code in LINES} | {ANNULLED_CODE, "AUCUNE"}
    assert written == set(SITUATION_CODES)
    za = FIELDS["ZA"].format
    assert za.display("ANNULEE/GAGE") == "Immatriculation annulée (ANNULEE) ; Gage (GAGE)"
    assert za.display("AUCUNE") == "Aucune inscription (AUCUNE)"
    assert za.display("XYZ") == "XYZ"
