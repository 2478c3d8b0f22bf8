import pytest
from django.urls import reverse

from titres.core.models import AuditEvent, RefusalTally
from titres.paiements import conf
from titres.paiements.enums import BankSessionState, LedgerKind, PaymentState
from titres.paiements.localbank import bank
from titres.paiements.models import LedgerEntry, PaymentNotification, Stamp
from titres.paiements.providers.base import Purpose, sign

from .helpers import CARDS, bank_session, open_purchase, pay

pytestmark = pytest.mark.django_db


def authorised_fields(client, capture, mailoutbox=None):
    """A payment accepted at the bank; returns (payment, signed notification)."""
    _, payment = open_purchase(client)
    pay(client, payment, CARDS["accepte"], capture)
    session = bank_session(payment)
    assert session.state == BankSessionState.AUTORISEE
    assert session.notified_at is not None
    payment.refresh_from_db()
    return payment, bank.notification_fields(session)


def post(client, fields):
    return client.post(reverse("paiements:notification", args=["local"]), fields)


def test_replayed_notification_changes_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    payment, fields = authorised_fields(client, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            response = post(client, fields)
            assert response.status_code == 200
            assert response.content == b"deja_traitee"
    assert Stamp.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=LedgerKind.PAIEMENT).count() == 1
    assert LedgerEntry.objects.filter(kind=LedgerKind.EMISSION).count() == 1
    assert len(mailoutbox) == 1
    assert AuditEvent.objects.filter(event="paiements.notification_replayed").count() == 3


def test_notification_over_http_settles_the_payment(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """What a real provider does: POST to the notification URL, no session."""
    _, payment = open_purchase(client)
    session = bank_session(payment)
    bank.BankSession.objects.filter(pk=session.pk).update(state=BankSessionState.AUTORISEE)
    session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, bank.notification_fields(session))
    assert response.status_code == 200
    assert response.content == b"accepte"
    payment.refresh_from_db()
    assert payment.state == PaymentState.ACCEPTE
    assert payment.stamp
    assert len(mailoutbox) == 1


def test_forged_signature_is_refused_and_journaled(client, django_capture_on_commit_callbacks):
    _, payment = open_purchase(client)
    session = bank_session(payment)
    fields = {
        "merchant_id": session.merchant_id,
        "reference": session.reference,
        "amount": str(session.amount_cents),
        "currency": "978",
        "result": "accepte",
        "transaction_id": "x",
        "authorisation": "123456",
        "reason": "",
        "timestamp": "20250101000000",
    }
    fields["signature"] = sign(fields, b"pas-la-bonne-cle", Purpose.NOTIFICATION)
    response = post(client, fields)
    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.state == PaymentState.EN_ATTENTE
    assert not Stamp.objects.exists()
    event = AuditEvent.objects.get(event="paiements.notification_refused")
    assert event.object_id == payment.reference
    assert event.data["motif"] == "signature HMAC-SHA256 absente ou invalide"
    assert event.ip_address == "127.0.0.1"
    log = PaymentNotification.objects.get()
    assert log.signature_valid is False
    assert log.outcome == "signature_invalide"


def test_tampered_amount_breaks_the_signature(client, django_capture_on_commit_callbacks):
    _, payment = open_purchase(client)
    session = bank_session(payment)
    bank.BankSession.objects.filter(pk=session.pk).update(state=BankSessionState.AUTORISEE)
    session.refresh_from_db()
    fields = bank.notification_fields(session)
    fields["amount"] = "1"
    assert post(client, fields).status_code == 403
    del fields["signature"]
    fields["amount"] = str(session.amount_cents)
    assert post(client, fields).status_code == 403
    # The second refusal from the same address is counted, not journaled again.
    assert AuditEvent.objects.filter(event="paiements.notification_refused").count() == 1
    assert RefusalTally.objects.get(event="paiements.notification_refused").count == 2
    payment.refresh_from_db()
    assert payment.state == PaymentState.EN_ATTENTE


def test_correctly_signed_but_inconsistent_amount_is_refused(client, settings):
    _, payment = open_purchase(client)
    fields = {
        "merchant_id": payment.merchant_id,
        "reference": payment.reference,
        "amount": "100",
        "result": "accepte",
    }
    fields["signature"] = sign(fields, conf.secret_key(), Purpose.NOTIFICATION)
    response = post(client, fields)
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.state == PaymentState.EN_ATTENTE
    assert AuditEvent.objects.filter(event="paiements.notification_inconsistent").exists()


def test_notification_for_unknown_reference(client):
    fields = {
        "merchant_id": "032060919912121",
        "reference": "999",
        "amount": "2500",
        "result": "accepte",
    }
    fields["signature"] = sign(fields, conf.secret_key(), Purpose.NOTIFICATION)
    assert post(client, fields).status_code == 400
    assert AuditEvent.objects.filter(event="paiements.notification_unknown").exists()


def test_contradictory_notification_keeps_the_first_result(
    client, django_capture_on_commit_callbacks
):
    payment, fields = authorised_fields(client, django_capture_on_commit_callbacks)
    fields = {k: v for k, v in fields.items() if k != "signature"}
    fields["result"] = "refuse"
    fields["signature"] = sign(fields, conf.secret_key(), Purpose.NOTIFICATION)
    assert post(client, fields).content == b"contradictoire"
    payment.refresh_from_db()
    assert payment.state == PaymentState.ACCEPTE
    assert AuditEvent.objects.filter(event="paiements.notification_contradictory").exists()


def test_notification_endpoint_needs_post_and_known_provider(client):
    assert client.get(reverse("paiements:notification", args=["local"])).status_code == 405
    assert client.post(reverse("paiements:notification", args=["inconnu"]), {}).status_code == 404


def test_http_delivery_falls_back_to_direct_call_when_portal_unreachable(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PAYMENT_LOCAL_NOTIFY = "auto"
    settings.SITE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    _, payment = open_purchase(client)
    pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert payment.state == PaymentState.ACCEPTE
    assert bank_session(payment).notified_at is not None


def test_http_delivery_posts_to_the_notification_url(
    client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """In `http` mode the bank posts the signed fields to the notify URL."""
    settings.PAYMENT_LOCAL_NOTIFY = "http"
    settings.SITE_URL = "http://portail.test"
    calls = []

    class Response:
        status_code = 200

    def fake_post(url, data, timeout):
        calls.append(url)
        # Hand the request to the real endpoint, as the network would.
        response = client.post(url.removeprefix("http://portail.test"), data)
        assert response.status_code == 200
        return Response()

    monkeypatch.setattr(bank.requests, "post", fake_post)
    _, payment = open_purchase(client)
    pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    assert calls == ["http://portail.test" + reverse("paiements:notification", args=["local"])]
    payment.refresh_from_db()
    assert payment.state == PaymentState.ACCEPTE
