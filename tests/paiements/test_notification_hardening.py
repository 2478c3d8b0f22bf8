"""The security review's findings on card-payment messages: signatures
that cannot be confused (encoding, message type), a notification endpoint a
stranger cannot use to fill the database or the journal, and no server error
on malformed input."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from titres.core import ratelimit
from titres.core.models import AuditEvent, RefusalTally
from titres.paiements import conf
from titres.paiements.localbank import bank
from titres.paiements.models import PaymentNotification
from titres.paiements.providers.base import Purpose, canonical_bytes, sign, verify

from .helpers import bank_session, open_purchase

pytestmark = pytest.mark.django_db
KEY = b"cle-partagee"


@pytest.fixture(autouse=True)
def _fresh_limits():
    ratelimit.reset()
    yield
    ratelimit.reset()


def post(client, fields, **extra):
    # Form-encoded, as a provider posts it (the test client would use multipart).
    return client.post(
        reverse("paiements:notification", args=["local"]),
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
        **extra,
    )


def test_field_boundaries_are_part_of_the_signature():
    # With `k=v&...` these two messages were the same bytes, so one signature.
    one_field = {"label": "timbre&amount=1"}
    two_fields = {"label": "timbre", "amount": "1"}
    assert canonical_bytes(one_field, Purpose.NOTIFICATION) != canonical_bytes(
        two_fields, Purpose.NOTIFICATION
    )
    assert sign(one_field, KEY, Purpose.NOTIFICATION) != sign(two_fields, KEY, Purpose.NOTIFICATION)
    equals = {"a": "b=c"}
    assert sign(equals, KEY, Purpose.REFUND) != sign({"a=b": "c"}, KEY, Purpose.REFUND)


def test_a_signature_is_valid_for_one_message_type_only():
    fields = {"merchant_id": "1", "reference": "R1", "amount": "2500"}
    fields["signature"] = sign(fields, KEY, Purpose.PAYMENT_REQUEST)
    assert verify(fields, KEY, Purpose.PAYMENT_REQUEST)
    assert not verify(fields, KEY, Purpose.NOTIFICATION)
    assert not verify(fields, KEY, Purpose.REFUND)


def test_a_signed_payment_request_is_refused_as_a_notification(client):
    _, payment = open_purchase(client)
    session = bank_session(payment)
    fields = {
        "merchant_id": session.merchant_id,
        "reference": session.reference,
        "amount": str(session.amount_cents),
        "result": "accepte",
    }
    fields["signature"] = sign(fields, conf.secret_key(), Purpose.REFUND)
    assert post(client, fields).status_code == 403
    payment.refresh_from_db()
    assert payment.state == "en_attente"


@pytest.mark.parametrize("signature", ["é" * 64, "\u0000", "x" * 10_000, "ＡＢＣ", ""])
def test_malformed_signature_is_refused_not_a_server_error(client, signature):
    fields = {"merchant_id": "1", "reference": "R1", "amount": "1", "result": "accepte"}
    response = post(client, {**fields, "signature": signature})
    assert response.status_code == 403
    assert response.content == b"signature_invalide"


def test_forged_notifications_store_a_bounded_summary(client):
    huge = {f"champ{i}": "x" * 80 for i in range(140)}
    huge["reference"] = "R" * 300
    assert post(client, huge).status_code == 403
    log = PaymentNotification.objects.get()
    assert log.payload["champs"] == 141
    assert len(log.payload["noms"]) == 20
    assert log.payload["reference"] == "R" * 40
    assert len(str(log.payload)) < 2048  # was every field, up to 500 characters each


def test_a_flood_of_forgeries_writes_one_journal_entry_per_address(client):
    fields = {"merchant_id": "1", "reference": "R1", "amount": "1", "result": "accepte"}
    for _ in range(30):
        assert post(client, {**fields, "signature": "0" * 64}).status_code == 403
    assert AuditEvent.objects.filter(event="paiements.notification_refused").count() == 1
    assert PaymentNotification.objects.count() == 1
    tally = RefusalTally.objects.get(event="paiements.notification_refused")
    assert (tally.source, tally.count) == ("127.0.0.1", 30)
    # Another address gets its own first entry.
    post(client, {**fields, "signature": "0" * 64}, REMOTE_ADDR="192.0.2.7")
    assert AuditEvent.objects.filter(event="paiements.notification_refused").count() == 2


def test_notifications_are_rate_limited_per_address(client, monkeypatch):
    monkeypatch.setattr("titres.paiements.views.NOTIFICATION_IP_LIMIT", "3/minute")
    fields = {"merchant_id": "1", "reference": "R1", "amount": "1", "result": "accepte"}
    statuses = [post(client, fields).status_code for _ in range(4)]
    assert statuses == [403, 403, 403, 429]
    assert post(client, fields, REMOTE_ADDR="192.0.2.8").status_code == 403


def test_oversized_notification_body_is_refused_unread(client):
    response = post(client, {"signature": "0" * 64, "bourrage": "x" * 20_000})
    assert response.status_code == 413
    assert not PaymentNotification.objects.exists()
    assert not AuditEvent.objects.filter(event="paiements.notification_refused").exists()


def test_real_notification_still_settles(client, django_capture_on_commit_callbacks):
    _, payment = open_purchase(client)
    session = bank_session(payment)
    bank.BankSession.objects.filter(pk=session.pk).update(state="autorisee")
    session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, bank.notification_fields(session)).content == b"accepte"
