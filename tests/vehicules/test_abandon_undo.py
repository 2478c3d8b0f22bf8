"""A submitted address change, duplicate or new vehicle abandoned by its
filer before an agent takes it is undone like a rejected one (the
procedures' `on_abandoned` hook): the registry put back or the
registration annulled, the CPI withdrawn, the taxes refunded."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from titres.core.models import AuditEvent
from titres.paiements.enums import LedgerKind
from titres.paiements.models import LedgerEntry
from titres.procedures.enums import Status
from titres.vehicules.certificat.decisions import notices
from titres.vehicules.enums import HolderRole, RegistryEventKind, SituationKind
from titres.vehicules.models import (
    CancelledCertificate,
    CertificateOperation,
    Holder,
    RegistryEntry,
    Situation,
)
from titres.vehicules.neuf.models import NewRegistration

from .certificat import change_address, holder_citizen, submit
from .factories import VehicleFactory
from .neuf import new_vehicle_until_payment
from .test_certificat_reject import _paid_duplicate
from .test_neuf_reject import _registered

pytestmark = pytest.mark.django_db


def _abandon(client, demarche, capture):
    with capture(execute=True):
        response = client.post(reverse("procedures:abandon", args=[demarche.number]))
    assert response.status_code == 302
    demarche.refresh_from_db()
    assert demarche.status == Status.ABANDONNEE


def test_an_abandoned_duplicate_restores_the_old_certificate_and_refunds(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    holder_citizen(client)
    vehicle = VehicleFactory()
    before = (vehicle.plate, vehicle.formule_number, vehicle.ci_date)
    demarche = _paid_duplicate(client, vehicle, django_capture_on_commit_callbacks, motif="perte")
    operation = CertificateOperation.objects.get(demarche=demarche)
    mailoutbox.clear()

    _abandon(client, demarche, django_capture_on_commit_callbacks)

    vehicle.refresh_from_db()
    assert (vehicle.plate, vehicle.formule_number, vehicle.ci_date) == before
    assert CancelledCertificate.objects.get(vehicle=vehicle).restored_on == date.today()
    operation.refresh_from_db()
    assert operation.reverted_at and operation.registry_restored and operation.refunded_at
    entry = RegistryEntry.objects.filter(vehicle=vehicle).latest("id")
    assert entry.kind == RegistryEventKind.DUPLICATA_ANNULE
    assert entry.label.startswith("Duplicata annulé (demande abandonnée)")
    assert LedgerEntry.objects.filter(
        payment__reference=operation.payment_reference, kind=LedgerKind.REMBOURSEMENT_FRAIS
    ).exists()
    assert notices(demarche)[0] == (
        "Vous avez abandonné la demande : elle est annulée dans le système d’immatriculation."
    )
    page = client.get(reverse("procedures:detail", args=[demarche.number])).content.decode()
    assert f"Votre carte grise n° {before[1]} est de nouveau valable." in page
    assert client.get(reverse("vehicules:operation_cpi", args=[demarche.number])).status_code == 404
    final = client.get(reverse("vehicules:operation_finalisation", args=[demarche.number]))
    assert "Demande abandonnée" in final.content.decode()
    mails = [m for m in mailoutbox if "abandonnée : véhicule" in m.subject]
    assert len(mails) == 1
    assert "a été abandonnée à votre demande" in mails[0].body
    assert "Les taxes payées" in mails[0].body
    # The accusé says the duplicate was undone, when and why, instead of promising the card.
    accuse = client.get(reverse("vehicules:operation_accuse", args=[demarche.number]))
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(BytesIO(accuse.content)).pages).split()
    )
    today = date.today().strftime("%d/%m/%Y")
    assert f"La demande a été abandonnée le {today} à la demande du télédéclarant" in text
    assert f"le certificat d’immatriculation {before[1]} est de nouveau valable" in text
    assert f"n° {operation.cpi_number} est retiré" in text
    assert "La nouvelle carte grise sera envoyée" not in text


def test_a_rejected_address_change_accuse_says_it_was_undone(
    client, django_capture_on_commit_callbacks
):
    from .test_certificat_reject import _reject

    holder_citizen(client)
    vehicle = VehicleFactory()
    demarche = change_address(client, vehicle)
    submit(client, demarche)
    before = client.get(reverse("vehicules:operation_accuse", args=[demarche.number]))
    assert "L’étiquette n° 1" in " ".join(
        " ".join(p.extract_text() for p in PdfReader(BytesIO(before.content)).pages).split()
    )
    _reject(demarche, django_capture_on_commit_callbacks, reason="donnees_siv")
    accuse = client.get(reverse("vehicules:operation_accuse", args=[demarche.number]))
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(BytesIO(accuse.content)).pages).split()
    )
    today = date.today().strftime("%d/%m/%Y")
    assert f"La demande a été rejetée le {today} par le service instructeur" in text
    assert "Motif : Données du véhicule ou du titulaire incohérentes avec le SIV" in text
    assert "l’adresse inscrite sur la carte grise redevient l’ancienne adresse" in text
    assert "aucune étiquette n’est envoyée" in text
    assert "L’étiquette n° 1" not in text


def test_an_abandoned_address_change_gives_the_address_back(
    client, django_capture_on_commit_callbacks
):
    holder_citizen(client)
    vehicle = VehicleFactory()
    demarche = change_address(client, vehicle)
    submit(client, demarche)
    _abandon(client, demarche, django_capture_on_commit_callbacks)
    titulaire = Holder.objects.get(vehicle=vehicle, role=HolderRole.TITULAIRE)
    assert (titulaire.address, titulaire.commune) == ("12 rue Saint-Dizier", "Nancy")
    entry = RegistryEntry.objects.filter(vehicle=vehicle).latest("id")
    assert entry.kind == RegistryEventKind.CHANGEMENT_ADRESSE_ANNULE
    assert entry.label == "Changement d’adresse annulé (demande abandonnée) : Nancy"


def test_an_abandoned_new_vehicle_is_annulled_and_refunded(
    client, django_capture_on_commit_callbacks
):
    demarche, record = _registered(client, django_capture_on_commit_callbacks)
    _abandon(client, demarche, django_capture_on_commit_callbacks)
    record.refresh_from_db()
    assert record.withdrawn_at and record.registration_cancelled and record.refunded_at
    situation = Situation.objects.get(vehicle=record.vehicle, lifted_on=None)
    assert situation.kind == SituationKind.ANNULEE
    assert situation.detail == f"Demande {demarche.number} abandonnée"
    from django.utils import translation

    from titres.vehicules.neuf.decisions import notices as new_vehicle_notices

    with translation.override("en"):
        assert new_vehicle_notices(demarche)[0] == (
            "You abandoned the application: it is cancelled in the vehicle registration system."
        )
    assert client.get(reverse("vehicules:neuf_cpi", args=[demarche.number])).status_code == 404
    assert "vehicules.new_registration_withdrawn" in set(
        AuditEvent.objects.values_list("event", flat=True)
    )


def test_an_abandoned_draft_holds_nothing(client, django_capture_on_commit_callbacks):
    from .pro import garage

    garage(client)
    demarche = new_vehicle_until_payment(client)
    counts = (RegistryEntry.objects.count(), LedgerEntry.objects.count())
    _abandon(client, demarche, django_capture_on_commit_callbacks)
    record = NewRegistration.objects.get(demarche=demarche)
    assert record.withdrawn_at is None and record.vehicle is None
    assert counts == (RegistryEntry.objects.count(), LedgerEntry.objects.count())
