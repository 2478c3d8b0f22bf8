"""`manage.py refund_withdrawn_taxes`: the changes of holder abandoned
after filing before migration 0010 kept their taxes (the migration marked
them withdrawn without refunding); the command refunds them — and any
withdrawn file whose refund failed — through `refund_taxes`, once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from titres.core.models import AuditEvent
from titres.paiements.enums import LedgerKind
from titres.paiements.models import LedgerEntry
from titres.paiements.services import PaymentError
from titres.procedures.enums import Status
from titres.procedures.models import Demarche
from titres.vehicules.changement.payment import refund_taxes
from titres.vehicules.models import ChangeOfHolder

from .factories import VehicleFactory, declared, seller_user
from .journey import START, fill_until_payment, pay_taxes, start

pytestmark = pytest.mark.django_db


def _filed(client, capture, plate="FG123HJ"):
    vehicle = VehicleFactory(plate=plate)
    sold = declared(vehicle, seller=seller_user(email=f"jeanne.{plate}@example.fr"))
    demarche = start(client)
    fill_until_payment(
        client,
        demarche,
        start_data={
            **START,
            "immatriculation": vehicle.plate_display,
            "code_cession": sold.code_display,
        },
    )
    pay_taxes(client, demarche, capture)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    return demarche


def _abandoned_before_0010(client, capture, plate="FG123HJ"):
    """What migration 0010 left: abandoned after filing, `withdrawn_at` set
    from the status change, the taxes kept."""
    demarche = _filed(client, capture, plate)
    Demarche.objects.filter(pk=demarche.pk).update(status=Status.ABANDONNEE)
    ChangeOfHolder.objects.filter(demarche=demarche).update(withdrawn_at=timezone.now())
    return demarche, ChangeOfHolder.objects.get(demarche=demarche)


def _run(*args):
    out = StringIO()
    call_command("refund_withdrawn_taxes", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _refunds(record):
    return LedgerEntry.objects.filter(
        payment__reference=record.payment_reference, kind=LedgerKind.REMBOURSEMENT_FRAIS
    )


def test_the_command_refunds_the_abandoned_changes_once(
    client, buyer, django_capture_on_commit_callbacks
):
    demarche, record = _abandoned_before_0010(client, django_capture_on_commit_callbacks)
    # A file still under instruction keeps its taxes.
    ongoing = _filed(client, django_capture_on_commit_callbacks, "GH456JK")
    ongoing_record = ChangeOfHolder.objects.get(demarche=ongoing)

    assert _run("--dry-run") == (
        f"À rembourser : {demarche.number}\n1 démarche(s) à rembourser, 0 échec(s).\n"
    )
    assert not _refunds(record).exists()

    assert _run() == f"Remboursée : {demarche.number}\n1 démarche(s) remboursée(s), 0 échec(s).\n"
    record.refresh_from_db()
    assert record.refunded_at is not None
    assert _refunds(record).get().amount_cents == record.amount_cents
    event = AuditEvent.objects.get(event="vehicules.taxes_refunded", object_id=str(demarche.pk))
    assert event.data == {"reference": record.payment_reference, "montant": record.amount_cents}
    assert not _refunds(ongoing_record).exists()

    # Idempotent: a second run refunds nothing.
    assert _run() == "0 démarche(s) remboursée(s), 0 échec(s).\n"
    assert _refunds(record).count() == 1


def test_a_refused_refund_is_reported_and_the_others_still_run(
    client, buyer, django_capture_on_commit_callbacks, monkeypatch
):
    first, first_record = _abandoned_before_0010(client, django_capture_on_commit_callbacks)
    second, second_record = _abandoned_before_0010(
        client, django_capture_on_commit_callbacks, "GH456JK"
    )
    from titres.paiements import services

    real = services.refund_card_payment

    def refuse_first(*, reference, **kwargs):
        if reference == first_record.payment_reference:
            raise PaymentError("Le prestataire refuse le remboursement.")
        return real(reference=reference, **kwargs)

    monkeypatch.setattr(services, "refund_card_payment", refuse_first)
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("refund_withdrawn_taxes", stdout=StringIO(), stderr=err)
    assert str(failed.value) == "1 remboursement(s) en échec."
    assert f"Échec : {first.number} : " in err.getvalue()
    first_record.refresh_from_db()
    second_record.refresh_from_db()
    assert first_record.refunded_at is None and not _refunds(first_record).exists()
    assert second_record.refunded_at is not None


def test_refund_taxes_opens_its_own_transaction(
    client, buyer, django_capture_on_commit_callbacks, monkeypatch
):
    """It runs after the withdrawal's commit (refund_after_commit), in
    autocommit, where PostgreSQL refuses its locking read outside a
    transaction: it must open one itself (a transactional test would empty
    the communes table the other tests of the worker read)."""
    from django.db import connection

    from titres.paiements import services

    _demarche, record = _abandoned_before_0010(client, django_capture_on_commit_callbacks)
    real, depths = services.refund_card_payment, []

    def spy(**kwargs):
        depths.append(len(connection.atomic_blocks))
        return real(**kwargs)

    monkeypatch.setattr(services, "refund_card_payment", spy)
    outer = len(connection.atomic_blocks)
    refund_taxes(model=ChangeOfHolder, record_id=record.pk)
    assert depths == [outer + 1]
    record.refresh_from_db()
    assert record.refunded_at is not None and _refunds(record).count() == 1
