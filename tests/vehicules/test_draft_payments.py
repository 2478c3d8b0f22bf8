"""A vehicle draft deleted before it is filed never keeps money (issue 18's
lifecycle gaps): a terminated professional's draft or an abandoned draft
purged after 30 days takes its record with it, the taxes paid on it go back
to the card, and a payment still pending when the draft went is refunded
as soon as the bank accepts it (nobody is charged for nothing)."""

import datetime

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.paiements.helpers import CARDS, pay
from titres.accounts.services.habilitations import terminate_habilitation
from titres.core.models import AuditEvent
from titres.paiements.enums import LedgerKind, PaymentState
from titres.paiements.models import Payment
from titres.paiements.reconciliation import reconcile
from titres.procedures import retention
from titres.procedures.enums import Status
from titres.procedures.models import Demarche
from titres.procedures.services import abandon_demarche
from titres.vehicules.changement.payment import record_payment
from titres.vehicules.enums import CessionState
from titres.vehicules.models import CessionDeclaration, ChangeOfHolder

from .factories import VehicleFactory, declared
from .journey import HOLDER, START, SUMMARY, fill_until_payment, pay_taxes, start, step_url
from .pro import file_until_payment, garage, start_for_client

pytestmark = pytest.mark.django_db


def _refunds(payment):
    return payment.ledger_entries.filter(kind=LedgerKind.REMBOURSEMENT_FRAIS)


def _orphan_events():
    return AuditEvent.objects.filter(event="vehicules.orphan_payment_refunded")


def _garage_draft_at_payment(client):
    habilitation = garage(client, organisation_name="Garage du Centre", siret="73282932000074")
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle)
    draft = start_for_client(client)
    file_until_payment(client, draft, plate="FG-123-HJ", code=sold.code_display)
    return habilitation, draft, sold


def _start_payment(client, demarche) -> Payment:
    from django.urls import reverse

    response = client.post(reverse("vehicules:payer", args=[demarche.number]))
    assert response.status_code == 302
    payment = Payment.objects.latest("created_at")
    assert payment.state == PaymentState.EN_ATTENTE
    return payment


def _spend_code_elsewhere(sold):
    """Another file spends the code between the payment's start and its
    acceptance: the paid draft cannot be filed."""
    CessionDeclaration.objects.filter(pk=sold.declaration.pk).update(
        state=CessionState.UTILISEE, used_at=timezone.now(), used_by_demarche="VA-AUTRE"
    )


def _terminate(habilitation, capture):
    with capture(execute=True):
        terminate_habilitation(
            habilitation=habilitation, actor=UserFactory(is_staff=True, is_superuser=True)
        )


def test_a_payment_pending_when_the_habilitation_ends_is_refunded_once_accepted(
    client, django_capture_on_commit_callbacks
):
    habilitation, draft, sold = _garage_draft_at_payment(client)
    payment = _start_payment(client, draft)
    number = draft.number
    _terminate(habilitation, django_capture_on_commit_callbacks)
    assert not Demarche.objects.filter(number=number).exists()
    assert not ChangeOfHolder.objects.filter(demarche_id=draft.pk).exists()
    assert not _refunds(payment).exists()  # nothing was paid yet

    # The professional had the bank's page open: the card is accepted afterwards.
    pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert payment.state == PaymentState.ACCEPTE
    assert _refunds(payment).get().amount_cents == payment.amount_cents
    event = _orphan_events().get()
    assert event.data == {
        "reference": payment.reference,
        "montant": payment.amount_cents,
        "demarche": number,
        "motif": f"Paiement sans démarche à déposer ({number})",
    }
    assert AuditEvent.objects.filter(event="paiements.frais_refunded").count() == 1
    assert not AuditEvent.objects.filter(event="vehicules.taxes_paid").exists()
    assert not Demarche.objects.filter(number=number).exists()
    # The code de cession was never spent: the client may still use it.
    sold.declaration.refresh_from_db()
    assert sold.declaration.state == CessionState.ACTIVE

    # The buyer's « enregistrer votre paiement » or a replayed notification: no second refund.
    with django_capture_on_commit_callbacks(execute=True):
        assert record_payment(payment) is None
    assert _refunds(payment).count() == 1 and _orphan_events().count() == 1
    assert reconcile().ok, reconcile().problems


def test_a_payment_refused_after_the_habilitation_ended_refunds_nothing(
    client, django_capture_on_commit_callbacks
):
    habilitation, draft, _sold = _garage_draft_at_payment(client)
    payment = _start_payment(client, draft)
    _terminate(habilitation, django_capture_on_commit_callbacks)
    pay(client, payment, CARDS["refuse"], django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert payment.state == PaymentState.REFUSE
    assert not _refunds(payment).exists() and not _orphan_events().exists()


def test_a_draft_paid_but_not_filed_is_refunded_once_when_the_habilitation_ends(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    """Refused at filing, its refund failed at the bank (test_unfiled_refund
    for the refund at once): the termination refunds it."""
    from titres.vehicules import drafts

    monkeypatch.setattr(drafts, "refund_unfiled_after_commit", lambda *a, **k: None)
    habilitation, draft, sold = _garage_draft_at_payment(client)
    payment = _start_payment(client, draft)
    _spend_code_elsewhere(sold)
    pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    draft.refresh_from_db()
    record = ChangeOfHolder.objects.get(demarche=draft)
    assert draft.status == Status.BROUILLON and record.paid_at is not None
    assert AuditEvent.objects.filter(event="vehicules.filing_refused_after_payment").exists()
    assert not _refunds(payment).exists()

    _terminate(habilitation, django_capture_on_commit_callbacks)
    assert not Demarche.objects.filter(pk=draft.pk).exists()
    assert _refunds(payment).get().amount_cents == payment.amount_cents
    assert _orphan_events().get().data["motif"] == (
        f"Brouillon {draft.number} supprimé sans avoir été déposé"
    )
    assert reconcile().ok, reconcile().problems


def test_a_draft_refunded_at_filing_refunds_nothing_more_when_the_habilitation_ends(
    client, django_capture_on_commit_callbacks
):
    habilitation, draft, sold = _garage_draft_at_payment(client)
    payment = _start_payment(client, draft)
    _spend_code_elsewhere(sold)
    pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    assert _refunds(payment).count() == 1
    assert AuditEvent.objects.filter(event="vehicules.unfiled_payment_refunded").count() == 1
    _terminate(habilitation, django_capture_on_commit_callbacks)
    assert not Demarche.objects.filter(pk=draft.pk).exists()
    assert _refunds(payment).count() == 1 and not _orphan_events().exists()
    assert reconcile().ok, reconcile().problems


def test_the_purge_deletes_an_abandoned_vehicle_draft_and_refunds_its_taxes(
    client, buyer, django_capture_on_commit_callbacks
):
    """Before, the change of holder (PROTECT) made the purge skip the draft
    every night, forever."""
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle)
    paid = start(client)
    fill_until_payment(
        client,
        paid,
        start_data={**START, "immatriculation": "FG-123-HJ", "code_cession": sold.code_display},
    )
    payment = _start_payment(client, paid)
    _spend_code_elsewhere(sold)
    pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    other = VehicleFactory()
    unpaid = start(client)
    fill_until_payment(
        client,
        unpaid,
        start_data={
            **START,
            "immatriculation": other.plate,
            "a_code_cession": "non",
            "numero_formule": other.formule_number,
        },
    )
    for demarche in (paid, unpaid):
        demarche.refresh_from_db()
        assert demarche.is_draft
        abandon_demarche(demarche=demarche, actor=buyer)
    # Refunded at once when its filing was refused (test_unfiled_refund).
    assert _refunds(payment).count() == 1

    later = timezone.now() + datetime.timedelta(days=retention.DRAFT_PURGE_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.purge_abandoned_drafts(later) == 2
    assert not Demarche.objects.filter(pk__in=(paid.pk, unpaid.pk)).exists()
    assert not ChangeOfHolder.objects.filter(demarche_id__in=(paid.pk, unpaid.pk)).exists()
    assert _refunds(payment).count() == 1 and not _orphan_events().exists()
    # A second night finds nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.purge_abandoned_drafts(later) == 0
    assert _refunds(payment).count() == 1


def test_a_late_payment_of_a_superseded_attempt_is_refunded(
    client, buyer, django_capture_on_commit_callbacks
):
    """The first attempt's bank page left open, the second attempt paid:
    the first one accepted afterwards finds no file using it."""
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle)
    demarche = start(client)
    fill_until_payment(
        client,
        demarche,
        start_data={**START, "immatriculation": "FG-123-HJ", "code_cession": sold.code_display},
    )
    first = _start_payment(client, demarche)
    # The buyer goes back and moves to another region: other taxes, a new attempt.
    response = client.post(
        step_url(demarche, "nouveau-titulaire"),
        {**HOLDER, "adresse": "1 rue de Rivoli", "code_postal": "75001", "commune": "Paris"},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert client.post(step_url(demarche, "recapitulatif"), SUMMARY).status_code == 302
    second = pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    assert second.pk != first.pk and second.state == PaymentState.ACCEPTE
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    first.refresh_from_db()
    pay(client, first, CARDS["accepte"], django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert first.state == PaymentState.ACCEPTE
    assert _refunds(first).count() == 1 and not _refunds(second).exists()
