"""The CERT instructs vehicle files in the back office: validation changes
the registry atomically (FNI → new SIV number, new formule), the factory
produces, the file reads « Terminée »."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.instruction.factories import AgentMembershipFactory
from titres.instruction import services as instruction
from titres.procedures.enums import Status
from titres.procedures.workflow import TransitionRefused
from titres.vehicules.documents.accuse_pdf import accuse_pdf
from titres.vehicules.documents.cpi_pdf import cpi_fields, cpi_pdf
from titres.vehicules.enums import HolderRole, PlateSystem, SituationKind
from titres.vehicules.identifiers import FORMULE_RE
from titres.vehicules.models import ChangeOfHolder, PlateSequence, RegistryEntry
from titres.vehicules.services.registry import add_situation

from .factories import VehicleFactory
from .journey import START, fill_until_payment, pay_taxes, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed_fni(client, buyer, django_capture_on_commit_callbacks):
    vehicle = VehicleFactory(fni=True, plate="3457TV59")
    demarche = start(client)
    data = {
        **START,
        "immatriculation": "3457 TV 59",
        "a_code_cession": "non",
        "date_ci": "18/03/2005",
    }
    fill_until_payment(
        client,
        demarche,
        start_data=data,
        holder={
            "cotitulaire_nom": "MERCIER",
            "cotitulaire_prenoms": "Anne",
            "cotitulaire_date_naissance": "02/03/1991",
        },
    )
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS and demarche.authority.code == "CERT-SIV"
    return demarche, vehicle


@pytest.fixture
def cert_agent(filed_fni):
    demarche, _vehicle = filed_fni
    agent = AgentMembershipFactory(authority=demarche.authority).user
    agent.is_verified = lambda: True  # what django-otp's middleware sets after the second factor
    return agent


def test_validation_changes_the_registry_and_the_factory_finishes(
    filed_fni, cert_agent, django_capture_on_commit_callbacks
):
    demarche, vehicle = filed_fni
    instruction.validate(demarche=demarche, agent=cert_agent)
    vehicle.refresh_from_db()
    assert vehicle.plate_system == PlateSystem.SIV and vehicle.plate == "AA001AA"
    assert FORMULE_RE.match(vehicle.formule_number)
    holders = {(h.role, h.last_name, h.first_names) for h in vehicle.current_holders()}
    assert holders == {
        (HolderRole.TITULAIRE, "MERCIER", "Pierre"),
        (HolderRole.COTITULAIRE, "MERCIER", "Anne"),
    }
    record = ChangeOfHolder.objects.get(demarche=demarche)
    assert record.new_plate == "AA001AA" and record.old_plate == "3457TV59" and record.registered_at
    entry = RegistryEntry.objects.get(vehicle=vehicle, kind="changement_titulaire")
    assert entry.actor == cert_agent and entry.demarche_number == demarche.number
    with django_capture_on_commit_callbacks(execute=True):
        instruction.transmit(demarche=demarche, agent=cert_agent)
    demarche.refresh_from_db()
    assert demarche.status == Status.TERMINEE


def test_a_vehicle_stolen_meanwhile_refuses_the_validation(filed_fni, cert_agent):
    demarche, vehicle = filed_fni
    add_situation(vehicle=vehicle, kind=SituationKind.VOL, actor=None)
    with pytest.raises(TransitionRefused) as refused:
        instruction.validate(demarche=demarche, agent=cert_agent)
    assert refused.value.message.startswith("Ce véhicule est déclaré volé")
    demarche.refresh_from_db()
    vehicle.refresh_from_db()
    assert demarche.status == Status.EN_COURS and vehicle.plate == "3457TV59"


def test_rejection_leaves_the_registry_and_withdraws_the_cpi(client, filed_fni, cert_agent):
    demarche, vehicle = filed_fni
    instruction.reject(
        demarche=demarche, agent=cert_agent, reason="autre", text="Pièces illisibles"
    )
    vehicle.refresh_from_db()
    assert vehicle.titulaire.last_name == "MOREAU"
    demarche.refresh_from_db()
    assert demarche.status == Status.REJETEE
    # The CPI no longer stands: no link on the file page or the finalisation, 404.
    cpi_url = reverse("vehicules:cpi", args=[demarche.number])
    assert (
        cpi_url
        not in client.get(reverse("procedures:detail", args=[demarche.number])).content.decode()
    )
    assert (
        cpi_url
        not in client.get(
            reverse("vehicules:finalisation", args=[demarche.number])
        ).content.decode()
    )
    assert client.get(cpi_url).status_code == 404
    assert client.get(reverse("vehicules:accuse", args=[demarche.number])).status_code == 200


def test_a_vehicle_file_offers_the_siv_reasons_and_not_the_snpc_ones(filed_fni, cert_agent):
    demarche, _vehicle = filed_fni
    reasons = dict(instruction.reject_reasons(demarche))
    assert reasons["donnees_siv"] == "Données du véhicule ou du titulaire incohérentes avec le SIV"
    assert "situation_bloquante" in reasons and "mandat" in reasons
    assert "identite_incoherente" not in reasons and "conformite" not in reasons
    instruction.reject(demarche=demarche, agent=cert_agent, reason="donnees_siv")
    demarche.refresh_from_db()
    assert demarche.status == Status.REJETEE
    assert demarche.history.last().comment == (
        "Données du véhicule ou du titulaire incohérentes avec le SIV"
    )


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_cpi_of_an_fni_vehicle_carries_its_new_siv_number(filed_fni, cert_agent):
    """A change of holder moves an FNI vehicle to the SIV: the new holder
    drives under the CPI with the new number (the old one is shown as
    such), and the CERT's validation registers that same number."""
    demarche, vehicle = filed_fni
    record = ChangeOfHolder.objects.select_related("vehicle", "demarche").get(demarche=demarche)
    assert record.new_plate == "AA001AA" and record.old_plate == "3457TV59"
    vehicle.refresh_from_db()
    assert vehicle.plate == "3457TV59"  # the registry changes at validation
    assert cpi_fields(record)["A1"] == "AA-001-AA"
    for text in (_text(cpi_pdf(record)), _text(accuse_pdf(record))):
        assert "AA-001-AA" in text, text
        assert "Ancien numéro d’immatriculation" in text and "3457 TV 59" in text, text
    instruction.validate(demarche=demarche, agent=cert_agent)
    vehicle.refresh_from_db()
    assert vehicle.plate == "AA001AA" and vehicle.plate_system == PlateSystem.SIV
    # One number drawn for the file, not a second one at validation.
    assert PlateSequence.objects.get(pk=1).next_index == 1
    record.refresh_from_db()
    assert cpi_fields(record)["A1"] == "AA-001-AA"
    assert "Ancien numéro" not in _text(cpi_pdf(record))


def test_a_rejected_fni_file_keeps_its_number_and_spends_the_allotted_one(filed_fni, cert_agent):
    demarche, vehicle = filed_fni
    instruction.reject(
        demarche=demarche, agent=cert_agent, reason="autre", text="Pièces illisibles"
    )
    vehicle.refresh_from_db()
    assert vehicle.plate == "3457TV59" and vehicle.plate_system == PlateSystem.FNI
    # Never given again: the next FNI change gets the next number.
    assert PlateSequence.objects.get(pk=1).next_index == 1


def _agent_client(agent):
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=agent, name="Application", confirmed=True)
    client = Client()
    client.force_login(agent)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def test_the_cert_sees_the_siv_panel_search_and_badge(filed_fni, cert_agent):
    """Issue 15: the registry's vehicle and holder beside the file, through
    the procedure's agent_panel hook; the plate finds the file."""
    from django.urls import reverse

    from titres.core.models import AuditEvent

    demarche, vehicle = filed_fni
    client = _agent_client(cert_agent)
    page = client.get(reverse("instruction:detail", args=[demarche.number])).content.decode()
    assert "Consultation SIV" in page and "Consultation SNPC" not in page
    assert vehicle.vin in page and "3457 TV 59" in page
    assert "Information de la demande et dossier SIV" in page
    assert "Photo et signature" not in page
    event = AuditEvent.objects.get(event="vehicules.siv_viewed")
    assert event.data["immatriculation"] == vehicle.plate and event.actor == cert_agent
    code = demarche.authority.code
    found = client.get(reverse("instruction:search", args=[code]), {"reference": "3457-tv-59"})
    assert demarche.display_number in found.content.decode()
    assert (
        "Situation SIV à vérifier"
        not in client.get(
            reverse("instruction:worklist", args=[code]) + "?onglet=toutes"
        ).content.decode()
    )
    add_situation(vehicle=vehicle, kind=SituationKind.VOL, actor=None)
    listing = client.get(reverse("instruction:worklist", args=[code]) + "?onglet=toutes")
    assert "Situation SIV à vérifier" in listing.content.decode()
    page = client.get(reverse("instruction:detail", args=[demarche.number])).content.decode()
    assert page.count('class="titres-diff"') == 1
