"""A rejected new vehicle's registration is withdrawn (neuf/decisions.py,
services/reverts.cancel_first_registration): the registration annulled in
the registry (the number stays used), the CPI withdrawn, the taxes
refunded, all journaled; the dealer reads it on the file page, in an
e-mail and on the accusé; a second rejection changes nothing."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from titres.core.models import AuditEvent
from titres.paiements.enums import LedgerKind
from titres.paiements.models import LedgerEntry
from titres.procedures.enums import Status
from titres.procedures.workflow import TransitionRefused
from titres.vehicules.allotment import allot_plate
from titres.vehicules.enums import RegistryEventKind, SituationKind
from titres.vehicules.models import RegistryEntry, Situation
from titres.vehicules.neuf.decisions import notices, withdraw_registration
from titres.vehicules.neuf.models import NewRegistration
from titres.vehicules.professionnels.downloads import documents_of
from titres.vehicules.services.registry import add_situation

from .journey import pay_taxes
from .neuf import new_vehicle_until_payment
from .pro import garage
from .test_certificat_reject import _reject

pytestmark = pytest.mark.django_db


def _registered(client, capture):
    garage(client)
    demarche = new_vehicle_until_payment(client)
    pay_taxes(client, demarche, capture)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    return demarche, NewRegistration.objects.get(demarche=demarche)


def test_a_rejected_new_vehicle_is_annulled_and_refunded(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    demarche, record = _registered(client, django_capture_on_commit_callbacks)
    vehicle, cpi = record.vehicle, record.cpi_number
    mailoutbox.clear()

    _reject(demarche, django_capture_on_commit_callbacks, reason="conformite")

    assert demarche.status == Status.REJETEE
    record.refresh_from_db()
    assert record.withdrawn_at and record.registration_cancelled and record.refunded_at
    # The vehicle stays in the registry, annulled; its number is never given again.
    situation = Situation.objects.get(vehicle=vehicle, lifted_on=None)
    assert situation.kind == SituationKind.ANNULEE
    assert situation.detail == f"Demande {demarche.number} rejetée"
    entry = RegistryEntry.objects.filter(vehicle=vehicle).latest("id")
    assert entry.kind == RegistryEventKind.IMMATRICULATION_ANNULEE
    assert entry.label == f"Immatriculation {vehicle.plate_display} annulée (demande rejetée)"
    assert allot_plate() != vehicle.plate
    assert (
        LedgerEntry.objects.filter(
            payment__reference=record.payment_reference, kind=LedgerKind.REMBOURSEMENT_FRAIS
        ).count()
        == 1
    )
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {
        "vehicules.immatriculation_cancelled",
        "vehicules.new_registration_withdrawn",
        "vehicules.taxes_refunded",
    } <= events
    # The file page says it; the CPI is gone from it, from the pro list and the ZIP.
    page = client.get(reverse("procedures:detail", args=[demarche.number])).content.decode()
    assert f"L’immatriculation {vehicle.plate_display} est annulée" in page
    assert f"Le certificat provisoire d’immatriculation n° {cpi} est retiré" in page
    assert "sont remboursées sur la carte bancaire" in page
    cpi_url = reverse("vehicules:neuf_cpi", args=[demarche.number])
    assert cpi_url not in page
    assert client.get(cpi_url).status_code == 404
    assert cpi_url not in client.get(reverse("vehicules:pro_demarches")).content.decode()
    assert [name for name, _build in documents_of(record)] == [
        f"accuse-{demarche.display_number}.pdf"
    ]
    final = client.get(reverse("vehicules:neuf_finalisation", args=[demarche.number]))
    assert "Demande rejetée" in final.content.decode()
    assert "Le véhicule est immatriculé" not in final.content.decode()
    assert cpi_url not in final.content.decode()
    accuse = client.get(reverse("vehicules:neuf_accuse", args=[demarche.number]))
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(accuse.content)).pages)
    assert "La demande a été rejetée le" in " ".join(text.split())
    assert "est retiré et ne vaut plus titre de circulation" in " ".join(text.split())
    mails = [
        m
        for m in mailoutbox
        if m.subject
        == f"Démarche {demarche.display_number} rejetée : véhicule {vehicle.plate_display}"
    ]
    assert len(mails) == 1 and mails[0].to == [demarche.owner.email]
    assert f"L’immatriculation {vehicle.plate_display} est annulée" in mails[0].body
    # The dealer's client, under mandate, is told too (withdrawal.notify_client_of_withdrawal).
    client_mails = [m for m in mailoutbox if "Demande à votre nom rejetée" in m.subject]
    assert [m.to for m in client_mails] == [[demarche.acting_for["email"]]]
    # The annulled vehicle refuses a later operation.
    assert vehicle.blocking_situations()[0].kind == SituationKind.ANNULEE


def test_a_second_rejection_changes_nothing(client, django_capture_on_commit_callbacks):
    demarche, record = _registered(client, django_capture_on_commit_callbacks)
    agent = _reject(demarche, django_capture_on_commit_callbacks, reason="conformite")
    counts = (
        RegistryEntry.objects.count(),
        AuditEvent.objects.count(),
        LedgerEntry.objects.count(),
    )
    from titres.instruction import services as instruction

    with pytest.raises(TransitionRefused, match="au statut « Rejetée »"):
        instruction.reject(demarche=demarche, agent=agent, reason="conformite", text="Encore.")
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_registration(demarche, actor=agent)
    assert counts == (
        RegistryEntry.objects.count(),
        AuditEvent.objects.count(),
        LedgerEntry.objects.count(),
    )


def test_a_registry_changed_since_is_left_as_it_is(client, django_capture_on_commit_callbacks):
    demarche, record = _registered(client, django_capture_on_commit_callbacks)
    add_situation(vehicle=record.vehicle, kind=SituationKind.GAGE, actor=None, detail="Banque")
    _reject(demarche, django_capture_on_commit_callbacks, reason="conformite")
    record.refresh_from_db()
    assert record.withdrawn_at and not record.registration_cancelled and record.refunded_at
    assert not Situation.objects.filter(vehicle=record.vehicle, kind=SituationKind.ANNULEE)
    assert "a fait l’objet d’une autre opération" in " ".join(notices(demarche))
    with translation.override("en"):
        assert notices(demarche)[0] == (
            "The application has been rejected: it is cancelled in the vehicle registration system."
        )
    assert client.get(reverse("vehicules:neuf_cpi", args=[demarche.number])).status_code == 404
