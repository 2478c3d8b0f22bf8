import pytest
from django.core.management import CommandError, call_command

from titres.paiements import services
from titres.paiements.enums import LedgerKind, PaymentState, StampState
from titres.paiements.models import LedgerEntry, Payment, Stamp

from .factories import StampFactory
from .helpers import CARDS, open_purchase, pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(client, django_capture_on_commit_callbacks):
    """A bit of everything: card purchases (accepted and refused), stamps in
    every state, other fees."""
    for behaviour in ("accepte", "refuse", "provision", "delai"):
        _, payment = open_purchase(client)
        pay(client, payment, CARDS[behaviour], django_capture_on_commit_callbacks)
    StampFactory()
    StampFactory(reserved_by="demarche:1")
    StampFactory(consumed_by="demarche:2")
    StampFactory(refunded=True)
    StampFactory(expired=True)
    fee = services.start_card_payment(
        amount_cents=4276,
        label="Taxe régionale",
        email="garage@exemple.fr",
        idempotency_key="frais-1",
        actor=None,
    )
    pay(client, fee.payment, CARDS["accepte"], django_capture_on_commit_callbacks)


def test_reconcile_ok(books, capsys):
    call_command("reconcile_payments")
    out = capsys.readouterr().out
    assert "Rapprochement correct" in out
    assert "7 paiement(s) acceptés" in out
    assert "6 timbre(s) vérifié(s)" in out
    assert "autres frais 42,76" in out


def failing(match):
    with pytest.raises(CommandError) as exc:
        call_command("reconcile_payments")
    assert match in str(exc.value)
    return str(exc.value)


def test_consumed_without_ledger_entry_is_named(books):
    stamp = Stamp.objects.filter(state=StampState.DISPONIBLE).first()
    Stamp.objects.filter(pk=stamp.pk).update(
        state=StampState.CONSOMME, holder="x", consumed_at=stamp.purchased_at
    )
    failing(f"Timbre {stamp.number} : état « consomme » mais écritures de clôture aucune")


def test_stamp_with_two_states_is_named(books):
    stamp = Stamp.objects.filter(state=StampState.CONSOMME).first()
    Stamp.objects.filter(pk=stamp.pk).update(refunded_at=stamp.consumed_at)
    failing(f"Timbre {stamp.number} : état « consomme » mais dates renseignées")


def test_payment_without_stamp_is_named(books):
    stamp = Stamp.objects.filter(state=StampState.DISPONIBLE).first()
    LedgerEntry.objects.filter(stamp=stamp).delete()
    Stamp.objects.filter(pk=stamp.pk).delete()
    failing(f"Paiement {stamp.payment.reference} : accepté mais aucun timbre émis")


def test_payment_cashed_twice_is_named(books):
    payment = Payment.objects.filter(state=PaymentState.ACCEPTE, kind="timbre").first()
    LedgerEntry.objects.filter(payment=payment, kind=LedgerKind.PAIEMENT).update(amount_cents=1)
    failing(f"Paiement {payment.reference} : accepté pour 25,00")


def test_refused_payment_with_ledger_entry_is_named(books):
    payment = Payment.objects.filter(state=PaymentState.REFUSE).first()
    services._ledger(LedgerKind.PAIEMENT, payment.amount_cents, payment=payment)
    message = failing(f"Paiement {payment.reference} : état « refuse » mais écritures")
    assert "anomalie" in message


def test_totals_mismatch_is_reported(books):
    entry = LedgerEntry.objects.filter(kind=LedgerKind.FRAIS).first()
    entry.delete()
    failing("autres frais au grand livre absent")
