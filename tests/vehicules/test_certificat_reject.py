"""A rejected address change or duplicate is undone (certificat/decisions.py,
services/reverts.py): the registry as it was before submission, the CPI
withdrawn, the duplicate's taxes refunded, all journaled; the filer reads
it on the file page and in an e-mail; a second rejection changes nothing."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.instruction.conftest import verified_client
from tests.instruction.factories import AgentMembershipFactory
from titres.core.models import AuditEvent
from titres.instruction import services as instruction
from titres.paiements.enums import LedgerKind
from titres.paiements.models import BankSession, LedgerEntry
from titres.procedures.enums import Status
from titres.procedures.workflow import TransitionRefused
from titres.vehicules.certificat.decisions import notices, revert_operation
from titres.vehicules.enums import HolderRole, PlateSystem, RegistryEventKind
from titres.vehicules.models import (
    AddressChange,
    CancelledCertificate,
    CertificateOperation,
    Holder,
    RegistryEntry,
)
from titres.vehicules.services.registry import add_situation, next_address_label

from .certificat import change_address, duplicate_until_payment, holder_citizen, submit
from .factories import HolderFactory, VehicleFactory
from .journey import pay_taxes

pytestmark = pytest.mark.django_db


@pytest.fixture
def jeanne(client):
    return holder_citizen(client)


def _agent(demarche):
    agent = AgentMembershipFactory(authority=demarche.authority).user
    TOTPDevice.objects.create(user=agent, name="Application", confirmed=True)
    agent.is_verified = lambda: True  # passed the second factor
    return agent


def _reject(demarche, capture, reason="donnees_siv"):
    """The agent rejects the file from its back-office page."""
    agent = _agent(demarche)
    with capture(execute=True):
        response = verified_client(agent).post(
            reverse("instruction:action", args=[demarche.number, "rejeter"]),
            {"reason": reason, "text": "Contrôle."},
        )
    assert response.status_code == 302
    demarche.refresh_from_db()
    return agent


def _paid_duplicate(client, vehicle, capture, **start):
    demarche = duplicate_until_payment(client, vehicle, **start)
    pay_taxes(client, demarche, capture)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    return demarche


def test_a_rejected_duplicate_restores_the_old_certificate_and_refunds(
    client, jeanne, django_capture_on_commit_callbacks, mailoutbox
):
    vehicle = VehicleFactory()
    before = (vehicle.plate, vehicle.plate_system, vehicle.formule_number, vehicle.ci_date)
    demarche = _paid_duplicate(
        client,
        vehicle,
        django_capture_on_commit_callbacks,
        motif="vol",
        numero_plainte="PV 2026/004512",
    )
    operation = CertificateOperation.objects.get(demarche=demarche)
    assert (operation.old_formule, operation.old_ci_date) == (before[2], before[3])
    vehicle.refresh_from_db()
    assert vehicle.formule_number != before[2]
    cpi = operation.cpi_number
    mailoutbox.clear()

    _reject(demarche, django_capture_on_commit_callbacks)

    assert demarche.status == Status.REJETEE
    vehicle.refresh_from_db()
    assert (vehicle.plate, vehicle.plate_system, vehicle.formule_number, vehicle.ci_date) == before
    cancelled = CancelledCertificate.objects.get(vehicle=vehicle)
    assert cancelled.restored_on == date.today()
    operation.refresh_from_db()
    assert operation.reverted_at and operation.registry_restored and operation.refunded_at
    entry = RegistryEntry.objects.filter(vehicle=vehicle).latest("id")
    assert entry.kind == RegistryEventKind.DUPLICATA_ANNULE
    assert entry.label == f"Duplicata annulé (demande rejetée) : certificat {before[2]} rétabli"
    assert entry.data["numero_formule_annule"] == operation.new_formule
    # The refund went through the provider and the ledger.
    assert (
        LedgerEntry.objects.filter(
            payment__reference=operation.payment_reference, kind=LedgerKind.REMBOURSEMENT_FRAIS
        ).count()
        == 1
    )
    assert BankSession.objects.get(reference=operation.payment_reference).refunded_cents == 1376
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {
        "vehicules.duplicate_reverted",
        "vehicules.operation_reverted",
        "vehicules.taxes_refunded",
        "paiements.frais_refunded",
    } <= events
    # The old card opens the registry again; the CPI is withdrawn.
    client.get(reverse("procedures:list"))
    page = client.get(reverse("procedures:detail", args=[demarche.number])).content.decode()
    assert f"Votre carte grise n° {before[2]} est de nouveau valable." in page
    assert f"Le certificat provisoire d’immatriculation n° {cpi} est retiré" in page
    assert "Les taxes payées (13,76 €) sont remboursées sur la carte bancaire" in page
    assert reverse("vehicules:operation_cpi", args=[demarche.number]) not in page
    assert client.get(reverse("vehicules:operation_cpi", args=[demarche.number])).status_code == 404
    final = client.get(reverse("vehicules:operation_finalisation", args=[demarche.number]))
    assert "Demande rejetée" in final.content.decode()
    assert "Votre demande de duplicata est enregistrée" not in final.content.decode()
    mails = [m for m in mailoutbox if "rejetée : véhicule" in m.subject]
    assert len(mails) == 1 and mails[0].to == ["jeanne.moreau@example.fr"]
    assert f"Votre carte grise n° {before[2]} est de nouveau valable." in mails[0].body
    assert "Les taxes payées (13,76 €)" in mails[0].body


def test_a_second_rejection_changes_nothing(client, jeanne, django_capture_on_commit_callbacks):
    vehicle = VehicleFactory()
    demarche = _paid_duplicate(client, vehicle, django_capture_on_commit_callbacks, motif="perte")
    agent = _reject(demarche, django_capture_on_commit_callbacks)
    counts = (
        RegistryEntry.objects.count(),
        AuditEvent.objects.count(),
        LedgerEntry.objects.count(),
    )
    with pytest.raises(TransitionRefused, match="au statut « Rejetée »"):
        instruction.reject(demarche=demarche, agent=agent, reason="donnees_siv", text="Encore.")
    # Called again directly (a replayed signal): still nothing.
    with django_capture_on_commit_callbacks(execute=True):
        revert_operation(demarche, actor=agent)
    assert counts == (
        RegistryEntry.objects.count(),
        AuditEvent.objects.count(),
        LedgerEntry.objects.count(),
    )


def test_a_rejected_fni_duplicate_gives_the_vehicle_its_fni_number_back(
    client, jeanne, django_capture_on_commit_callbacks
):
    vehicle = VehicleFactory(plate="3457TV59", plate_system=PlateSystem.FNI, formule_number="")
    demarche = _paid_duplicate(
        client,
        vehicle,
        django_capture_on_commit_callbacks,
        motif="deterioration",
        date_ci=vehicle.ci_date.strftime("%d/%m/%Y"),
    )
    vehicle.refresh_from_db()
    assert vehicle.plate_system == PlateSystem.SIV
    _reject(demarche, django_capture_on_commit_callbacks)
    vehicle.refresh_from_db()
    assert (vehicle.plate, vehicle.plate_system, vehicle.formule_number) == (
        "3457TV59",
        PlateSystem.FNI,
        "",
    )
    page = client.get(reverse("procedures:detail", args=[demarche.number])).content.decode()
    assert "Votre carte grise n° 3457 TV 59 est de nouveau valable." in page


def test_a_rejected_address_change_gives_each_holder_their_address_and_the_label_back(
    client, jeanne, django_capture_on_commit_callbacks, mailoutbox
):
    vehicle = VehicleFactory()
    cotitulaire = HolderFactory(
        vehicle=vehicle,
        role=HolderRole.COTITULAIRE,
        first_names="Paul",
        address="3 rue Gambetta",
        postal_code="57000",
        commune="Metz",
    )
    demarche = change_address(client, vehicle)
    submit(client, demarche)
    assert next_address_label(vehicle) == 2
    mailoutbox.clear()
    _reject(demarche, django_capture_on_commit_callbacks)
    titulaire = Holder.objects.get(vehicle=vehicle, role=HolderRole.TITULAIRE)
    cotitulaire.refresh_from_db()
    assert (titulaire.address, titulaire.commune) == ("12 rue Saint-Dizier", "Nancy")
    assert (cotitulaire.address, cotitulaire.commune) == ("3 rue Gambetta", "Metz")
    change = AddressChange.objects.get(vehicle=vehicle)
    assert change.reverted_on == date.today()
    assert next_address_label(vehicle) == 1  # the label was never sent
    operation = CertificateOperation.objects.get(demarche=demarche)
    assert operation.registry_restored and operation.refunded_at is None  # free: nothing paid
    entry = RegistryEntry.objects.filter(vehicle=vehicle).latest("id")
    assert entry.kind == RegistryEventKind.CHANGEMENT_ADRESSE_ANNULE
    assert AuditEvent.objects.filter(event="vehicules.address_change_reverted").count() == 1
    page = client.get(reverse("procedures:detail", args=[demarche.number])).content.decode()
    assert "L’adresse inscrite sur votre carte grise redevient l’ancienne adresse." in page
    assert "Les taxes payées" not in page
    mails = [m for m in mailoutbox if "rejetée : véhicule" in m.subject]
    assert len(mails) == 1 and "redevient l’ancienne adresse" in mails[0].body
    with translation.override("en"):
        assert notices(demarche)[1] == (
            "The address on your registration certificate is the former address again."
        )


def test_a_rejected_fourth_change_restores_the_certificate_and_withdraws_the_cpi(
    client, jeanne, django_capture_on_commit_callbacks
):
    vehicle = VehicleFactory()
    before = (vehicle.plate, vehicle.formule_number, vehicle.ci_date)
    for n in range(1, 4):
        AddressChange.objects.create(
            vehicle=vehicle,
            changed_on=date(2020 + n, 1, 1),
            formule_number=vehicle.formule_number,
            label_number=n,
            address=f"{n} rue Haute",
            postal_code="54000",
            commune="Nancy",
        )
    demarche = change_address(client, vehicle)
    submit(client, demarche)
    operation = CertificateOperation.objects.get(demarche=demarche)
    assert operation.new_certificate and operation.cpi_number
    _reject(demarche, django_capture_on_commit_callbacks)
    vehicle.refresh_from_db()
    assert (vehicle.plate, vehicle.formule_number, vehicle.ci_date) == before
    assert next_address_label(vehicle) is None  # still the fourth change to come
    assert client.get(reverse("vehicules:operation_cpi", args=[demarche.number])).status_code == 404
    page = client.get(reverse("procedures:detail", args=[demarche.number])).content.decode()
    assert f"Votre carte grise n° {before[1]} est de nouveau valable." in page
    assert f"n° {operation.cpi_number} est retiré" in page


def test_a_registry_changed_since_is_left_as_it_is_but_the_taxes_are_refunded(
    client, jeanne, django_capture_on_commit_callbacks
):
    vehicle = VehicleFactory()
    demarche = _paid_duplicate(client, vehicle, django_capture_on_commit_callbacks, motif="perte")
    vehicle.refresh_from_db()
    after_submission = vehicle.formule_number
    # Another registry operation after the file: undoing would erase it.
    add_situation(vehicle=vehicle, kind="gage", actor=None, detail="DIAC")
    _reject(demarche, django_capture_on_commit_callbacks)
    vehicle.refresh_from_db()
    assert vehicle.formule_number == after_submission
    assert CancelledCertificate.objects.get(vehicle=vehicle).restored_on is None
    operation = CertificateOperation.objects.get(demarche=demarche)
    assert operation.reverted_at and not operation.registry_restored and operation.refunded_at
    assert not RegistryEntry.objects.filter(kind=RegistryEventKind.DUPLICATA_ANNULE).exists()
    page = client.get(reverse("procedures:detail", args=[demarche.number])).content.decode()
    assert "Le véhicule a fait l’objet d’une autre opération depuis le dépôt" in page
    assert "est de nouveau valable" not in page
