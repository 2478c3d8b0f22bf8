"""« Immatriculation d’un véhicule neuf » by a dealer: the certificate of
conformity, the client (a person or a company), the taxes with the malus,
the payment, the new number allotted, the registry and the CPI; every
refusal."""

from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from tests.accounts.factories import HabilitationFactory, UserFactory
from titres.accounts.enums import HabilitationStatus, Profile
from titres.core.models import AuditEvent
from titres.paiements.enums import PaymentState
from titres.paiements.models import Payment
from titres.procedures.enums import Status
from titres.vehicules.enums import PersonKind
from titres.vehicules.models import Holder, RegistryEntry, Vehicle
from titres.vehicules.neuf.models import NewRegistration
from titres.vehicules.neuf.state import CODE

from .factories import VehicleFactory
from .journey import pay_taxes, step_url
from .neuf import COC, COMPANY, PERSON, new_vehicle_until_payment, start_new_vehicle
from .pro import garage

pytestmark = pytest.mark.django_db


def test_a_dealer_registers_a_new_vehicle_for_a_person(client, django_capture_on_commit_callbacks):
    habilitation = garage(client)
    existing = VehicleFactory(plate="AA001AA")  # numbers already in the registry are skipped
    demarche = new_vehicle_until_payment(client)
    page = client.get(step_url(demarche, "paiement")).content.decode()
    # The breakdown before payment: Y1, Y3 (983 € at 130 g/km, no weight malus
    # under 1,500 kg), Y4, Y5.
    assert "Y3 — Taxe sur les émissions de CO2 et sur la masse (malus) : 983,00 €" in page
    assert "masse en ordre de marche 1450 kg : 0,00 €" in page
    assert "Les taxes d’une première immatriculation en France sont payées en ligne" in page
    payment = pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    assert payment.state == PaymentState.ACCEPTE
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    record = NewRegistration.objects.get(demarche=demarche)
    assert [line["code"] for line in record.taxes["lines"]] == ["Y1", "Y3", "Y4", "Y5"]
    assert (
        payment.amount_cents
        == record.amount_cents
        == sum(line["amount_cents"] for line in record.taxes["lines"])
    )
    vehicle = record.vehicle
    assert vehicle.vin == "VF1RJA00068123456" and vehicle.plate == "AA002AA" != existing.plate
    assert (vehicle.make, vehicle.vehicle_type, vehicle.co2) == ("RENAULT", "RJA1E2MT6", 130)
    assert vehicle.formule_number and vehicle.first_registration_date == vehicle.ci_date
    holder = Holder.objects.get(vehicle=vehicle)
    assert (holder.last_name, holder.first_names, holder.postal_code) == (
        "LEFÈVRE",
        "Claire",
        "54000",
    )
    entry = RegistryEntry.objects.get(vehicle=vehicle, kind="immatriculation")
    assert entry.demarche_number == demarche.number
    assert AuditEvent.objects.filter(event="vehicules.immatriculation_recorded").exists()
    assert record.cpi_number and record.cpi_valid_until
    assert demarche.owner == habilitation.user
    assert [m.to for m in mail.outbox if "Demande d’immatriculation" in m.subject] == [
        ["claire.lefevre@example.org"]
    ]
    [sent] = [m for m in mail.outbox if "Demande d’immatriculation" in m.subject]
    body = " ".join(sent.body.split())
    assert "sous mandat, une demande d’immatriculation d’un véhicule neuf pour le véhicule" in body
    assert record.cpi_number in body
    final = client.get(reverse("vehicules:neuf_finalisation", args=[demarche.number]))
    text = final.content.decode()
    assert "AA-002-AA" in text and "LEFÈVRE Claire" in text
    assert "Garage du Centre (mandataire, habilitation SIV n°" in text
    cpi = client.get(reverse("vehicules:neuf_cpi", args=[demarche.number]))
    assert cpi.status_code == 200 and cpi.content.startswith(b"%PDF")
    listing = client.get(reverse("vehicules:pro_demarches")).content.decode()
    assert "AA-002-AA" in listing and reverse("vehicules:neuf_cpi", args=[demarche.number]) in (
        listing
    )


def test_a_company_client_is_the_holder(client, django_capture_on_commit_callbacks):
    garage(client)
    demarche = new_vehicle_until_payment(
        client, customer=COMPANY, coc={"energie": "EL", "co2": "0"}
    )
    page = client.get(step_url(demarche, "paiement")).content.decode()
    assert "malus) : 0,00 €" in page
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    record = NewRegistration.objects.get(demarche=demarche)
    holder = Holder.objects.get(vehicle=record.vehicle)
    assert holder.person_kind == PersonKind.MORALE
    assert (holder.company_name, holder.siret, holder.last_name) == (
        "Transports Lorrains",
        "73282932000074",
        "",
    )
    final = client.get(reverse("vehicules:neuf_finalisation", args=[demarche.number]))
    assert "SIRET 73282932000074" in final.content.decode()
    assert not [m for m in mail.outbox if "Demande d’immatriculation" in m.subject]
    text = _accuse_text(client, demarche)
    assert "Raison sociale Transports Lorrains" in text and "SIRET 73282932000074" in text
    assert "Nom et prénoms" not in text


def _accuse_text(client, demarche) -> str:
    response = client.get(reverse("vehicules:neuf_accuse", args=[demarche.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(BytesIO(response.content)).pages
    )


def test_the_dealer_downloads_the_accuse_in_the_clients_name(
    client, django_capture_on_commit_callbacks
):
    garage(client)
    demarche = new_vehicle_until_payment(client)
    # A draft has no accusé yet.
    response = client.get(reverse("vehicules:neuf_accuse", args=[demarche.number]))
    assert response.status_code == 404
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    demarche.refresh_from_db()
    record = NewRegistration.objects.get(demarche=demarche)
    url = reverse("vehicules:neuf_accuse", args=[demarche.number])
    for page in ("vehicules:neuf_finalisation", "procedures:detail"):
        assert url in client.get(reverse(page, args=[demarche.number])).content.decode(), page
    text = _accuse_text(client, demarche)
    assert f"Numéro de votre démarche {demarche.display_number}" in text
    assert "Démarche Immatriculation d’un véhicule neuf" in text
    assert f"Numéro d’immatriculation attribué {record.vehicle.plate_display}" in text
    assert "VIN VF1RJA00068123456" in text
    assert "Nom et prénoms LEFÈVRE Claire" in text
    assert "Adresse 4 place Stanislas, 54000 Nancy" in text
    assert "Télédéclarant Garage du Centre (mandataire, habilitation SIV n°" in text
    assert "Y3 983,00 € — " in text
    assert f"Référence du paiement {record.payment_reference}" in text
    assert f"certificat provisoire (CPI) n° {record.cpi_number}" in text


def test_not_filed_before_payment(client):
    garage(client)
    demarche = new_vehicle_until_payment(client)
    response = client.post(
        step_url(demarche, "recapitulatif"),
        {"exactitude": "on", "sanctions": "on", "action": "submit"},
    )
    demarche.refresh_from_db()
    assert demarche.is_draft and not Vehicle.objects.filter(vin=COC["vin"]).exists()
    assert response.status_code in (302, 400)


def _errors(client, demarche, slug, data):
    response = client.post(step_url(demarche, slug), data)
    assert response.status_code == 200
    return response.context["form"].errors


def test_the_certificate_of_conformity_refusals(client):
    garage(client)
    demarche = start_new_vehicle(client)
    url = "certificat-conformite"
    assert _errors(client, demarche, url, {**COC, "vin": "VF1RJA0006812345"})["vin"] == [
        "Le numéro d’identification (VIN, champ E) comporte exactement 17 caractères."
    ]
    assert _errors(client, demarche, url, {**COC, "vin": "VF1RJA0006812345O"})["vin"] == [
        "Le numéro VIN ne contient jamais les lettres I, O et Q."
    ]
    VehicleFactory(vin="VF1RJA00068123456")
    assert _errors(client, demarche, url, COC)["vin"][0].startswith(
        "Ce numéro VIN est déjà inscrit au système d’immatriculation des véhicules"
    )
    errors = _errors(client, demarche, url, {**COC, "vin": "VF1RJA00068999999", "ptac": "1200"})
    assert errors["ptac"] == [
        "La masse en charge maximale admissible ne peut pas être inférieure à la masse en ordre "
        "de marche."
    ]


def test_the_vin_registered_meanwhile_stops_the_payment(client):
    garage(client)
    demarche = new_vehicle_until_payment(client)
    VehicleFactory(vin=COC["vin"])  # another dealer was faster
    response = client.post(reverse("vehicules:payer", args=[demarche.number]), follow=True)
    assert "Ce numéro VIN est déjà inscrit" in response.content.decode()
    assert not Payment.objects.exists()
    demarche.refresh_from_db()
    assert demarche.is_draft and NewRegistration.objects.get(demarche=demarche).vehicle is None


def test_the_client_refusals(client):
    garage(client)
    demarche = start_new_vehicle(client)
    client.post(step_url(demarche, "certificat-conformite"), COC)
    errors = _errors(client, demarche, "client", {**PERSON, "nom": "", "prenoms": ""})
    assert errors["nom"] == ["Indiquez le nom du client."]
    assert errors["prenoms"] == ["Indiquez les prénoms du client."]
    errors = _errors(client, demarche, "client", {**PERSON, "date_naissance": "01/01/2099"})
    assert errors["date_naissance"] == ["La date de naissance ne peut pas être dans le futur."]
    errors = _errors(client, demarche, "client", {**COMPANY, "siret": "73282932000075"})
    assert errors["siret"] == ["Le numéro SIRET n’est pas valide (14 chiffres, clé de contrôle)."]
    errors = _errors(client, demarche, "client", {**COMPANY, "raison_sociale": "", "siret": ""})
    assert errors["raison_sociale"] == ["Indiquez la raison sociale de la société."]
    assert errors["siret"] == ["Indiquez le numéro SIRET de la société."]
    errors = _errors(client, demarche, "client", {**PERSON, "commune": "Metz"})
    assert "commune" in errors
    # La Poste's establishments: SIREN 356 000 000, the digits' sum a multiple of 5.
    response = client.post(step_url(demarche, "client"), {**COMPANY, "siret": "35600000000048"})
    assert response.status_code == 302


def test_other_profiles_suspended_and_other_dealers_get_404(client):
    habilitation = garage(client)
    demarche = new_vehicle_until_payment(client)
    urls = [
        reverse("vehicules:neuf_finalisation", args=[demarche.number]),
        reverse("vehicules:neuf_cpi", args=[demarche.number]),
        reverse("vehicules:neuf_accuse", args=[demarche.number]),
    ]
    other = HabilitationFactory()
    client.force_login(other.user)
    assert client.get(step_url(demarche, "certificat-conformite")).status_code == 404
    assert client.post(reverse("vehicules:payer", args=[demarche.number])).status_code == 404
    for url in urls:
        assert client.get(url).status_code == 404
    for profile in (Profile.PARTICULIER, Profile.AUTO_ECOLE, Profile.MAIRIE):
        client.force_login(UserFactory(profile=profile))
        response = client.post(reverse("vehicules:pro_nouvelle_demande"), {"type_demande": CODE})
        assert response.status_code == 404
        for url in urls:
            assert client.get(url).status_code == 404
    habilitation.status = HabilitationStatus.SUSPENDUE
    habilitation.save(update_fields=["status"])
    client.force_login(habilitation.user)
    response = client.post(reverse("vehicules:pro_nouvelle_demande"), {"type_demande": CODE})
    assert response.status_code == 404
    for url in urls:
        assert client.get(url).status_code == 404


def test_the_dealers_pages_read_in_english(client, settings):
    """The new vehicle's strings have their English msgstr (titres/vehicules/locale)."""
    garage(client)
    demarche = new_vehicle_until_payment(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    form = client.get(step_url(demarche, "certificat-conformite"), HTTP_ACCEPT_LANGUAGE="en")
    text = form.content.decode()
    assert "Make (field D.1)" in text and "Marque (champ D.1)" not in text
    assert "Mass in running order in kg (field G.1)" in text
    payment = client.get(step_url(demarche, "paiement"), HTTP_ACCEPT_LANGUAGE="en")
    assert "The taxes of a first registration in France are paid online" in payment.content.decode()
