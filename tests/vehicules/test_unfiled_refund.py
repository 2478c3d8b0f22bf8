"""A vehicle draft paid but refused at filing (the code de cession spent
meanwhile by another file) gets its taxes back at once, never twice, and
its payer is told on the page and by e-mail; a refund failing at the bank
is caught up by `refund_withdrawn_taxes` (issue 18)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.paiements.helpers import CARDS, pay
from titres.core.models import AuditEvent
from titres.paiements.enums import LedgerKind, PaymentState
from titres.paiements.models import Payment, format_amount
from titres.paiements.reconciliation import reconcile
from titres.paiements.services import PaymentError
from titres.procedures.enums import Status
from titres.vehicules.changement.payment import record_payment, start_tax_payment
from titres.vehicules.drafts import unfiled_payments
from titres.vehicules.enums import CessionState
from titres.vehicules.models import CessionDeclaration, ChangeOfHolder

from .factories import VehicleFactory, declared
from .journey import START, fill_until_payment, pay_taxes, start
from .test_pro_stock import pdf_text

pytestmark = pytest.mark.django_db

SPENT = (
    "Ce code de cession a déjà été utilisé le 02/06/2026 pour une demande de changement de "
    "titulaire : un code ne sert qu’une fois."
)
SPENT_AT = datetime.datetime(2026, 6, 2, 10, 0, tzinfo=datetime.UTC)
PAGE_MESSAGE = (
    "Votre paiement a été accepté mais la demande n’a pas pu être transmise : reprenez la "
    "démarche pour voir pourquoi. Les taxes payées ({amount}) sont remboursées sur la carte "
    "bancaire qui a servi au paiement, sous quelques jours ; vous paierez à nouveau une fois "
    "la démarche corrigée."
)


def _draft_at_payment(client):
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle)
    demarche = start(client)
    fill_until_payment(
        client,
        demarche,
        start_data={**START, "immatriculation": "FG-123-HJ", "code_cession": sold.code_display},
    )
    response = client.post(reverse("vehicules:payer", args=[demarche.number]))
    assert response.status_code == 302
    payment = Payment.objects.latest("created_at")
    # Another file spends the code while the buyer is on the bank's page.
    CessionDeclaration.objects.filter(pk=sold.declaration.pk).update(
        state=CessionState.UTILISEE, used_at=SPENT_AT, used_by_demarche="VA-AUTRE"
    )
    return demarche, payment


def _refunds(payment):
    return payment.ledger_entries.filter(kind=LedgerKind.REMBOURSEMENT_FRAIS)


def _events(code):
    return AuditEvent.objects.filter(event=code)


def test_a_draft_refused_at_filing_is_refunded_at_once_and_its_payer_told(
    client, buyer, django_capture_on_commit_callbacks, mailoutbox
):
    demarche, payment = _draft_at_payment(client)
    record = ChangeOfHolder.objects.get(demarche=demarche)
    attempt = record.payment_attempt
    pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    demarche.refresh_from_db()
    record.refresh_from_db()
    assert payment.state == PaymentState.ACCEPTE
    # Still a draft, no longer paid: a new payment is needed once corrected.
    assert demarche.status == Status.BROUILLON
    assert record.paid_at is None and record.refunded_at is None
    assert record.payment_attempt == attempt + 1
    assert _refunds(payment).get().amount_cents == payment.amount_cents
    refusal = _events("vehicules.filing_refused_after_payment").get()
    assert refusal.data == {"motif": SPENT, "reference": payment.reference}
    refund = _events("vehicules.unfiled_payment_refunded").get()
    assert refund.object_id == str(demarche.pk)
    assert refund.data == {
        "reference": payment.reference,
        "montant": payment.amount_cents,
        "motif": SPENT,
    }
    assert _events("paiements.frais_refunded").count() == 1
    mails = [m for m in mailoutbox if "taxes remboursées" in m.subject]
    assert len(mails) == 1 and mails[0].to == [buyer.email]
    assert (
        mails[0].subject == f"Démarche {demarche.display_number} non transmise : taxes remboursées"
    )
    body = mails[0].body
    assert f"n’a pas pu être transmise : {SPENT}" in body
    assert "Les taxes payées (" in body and "sont remboursées sur la carte bancaire" in body
    assert reverse("procedures:resume", args=[demarche.number]) in body

    amount = format_amount(payment.amount_cents)
    # The bank's return page says so instead of « enregistrer votre paiement ».
    page = client.get(reverse("vehicules:paiement_retour", args=[demarche.number]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Demande non transmise : paiement remboursé" in html
    assert "enregistrer-paiement" not in html
    assert PAGE_MESSAGE.format(amount=amount) in html

    # Its receipt says the taxes were given back.
    receipt = client.get(reverse("vehicules:recu", args=[demarche.number]))
    assert receipt.status_code == 200
    text = pdf_text(receipt.content)
    shown = amount.replace("\xa0", " ")  # the PDF's text has a plain space
    assert f"Total payé {shown}" in text
    assert "Remboursement" in text and f"Montant remboursé {shown}" in text
    assert "Remboursé le " in text

    # « Enregistrer votre paiement » or a replayed notification: nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("vehicules:enregistrer_paiement", args=[demarche.number]), follow=True
        )
        assert record_payment(payment).pk == demarche.pk
    assert response.redirect_chain[0][0] == reverse("procedures:resume", args=[demarche.number])
    assert [str(m) for m in response.context["messages"]] == [PAGE_MESSAGE.format(amount=amount)]
    record.refresh_from_db()
    assert record.paid_at is None
    assert _refunds(payment).count() == 1
    assert _events("vehicules.unfiled_payment_refunded").count() == 1
    assert _events("vehicules.taxes_paid").count() == 1
    assert len([m for m in mailoutbox if "taxes remboursées" in m.subject]) == 1
    assert not list(unfiled_payments())
    assert reconcile().ok, reconcile().problems

    # « Valider » is refused while the code stays spent; once corrected,
    # the next payment is a new one, never the refunded one.
    response = client.post(reverse("vehicules:payer", args=[demarche.number]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"Complétez d’abord les étapes précédentes : {SPENT}"
    ]
    assert Payment.objects.count() == 1
    start_tax_payment(demarche=demarche, actor=buyer)
    again = Payment.objects.latest("created_at")
    assert again.pk != payment.pk and again.state == PaymentState.EN_ATTENTE
    record.refresh_from_db()
    assert record.payment_reference == again.reference


def test_a_refund_failing_at_the_bank_is_caught_up_by_the_command(
    client, buyer, django_capture_on_commit_callbacks, monkeypatch, mailoutbox
):
    from titres.paiements import services

    real = services.refund_card_payment

    def bank_down(**kwargs):
        raise PaymentError("Le prestataire refuse le remboursement.")

    monkeypatch.setattr(services, "refund_card_payment", bank_down)
    demarche, payment = _draft_at_payment(client)
    pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    record = ChangeOfHolder.objects.get(demarche=demarche)
    # Nothing changed: still paid, not refunded, listed for the catch-up.
    assert record.paid_at is not None and not _refunds(payment).exists()
    assert not _events("vehicules.unfiled_payment_refunded").exists()
    assert [(model, r.pk, motif) for model, r, motif in unfiled_payments()] == [
        (ChangeOfHolder, record.pk, SPENT)
    ]

    monkeypatch.setattr(services, "refund_card_payment", real)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("refund_withdrawn_taxes", stdout=out, stderr=StringIO())
    assert out.getvalue() == (
        f"Remboursée : {demarche.number}\n1 démarche(s) remboursée(s), 0 échec(s).\n"
    )
    record.refresh_from_db()
    assert record.paid_at is None and _refunds(payment).count() == 1
    assert _events("vehicules.unfiled_payment_refunded").get().data["motif"] == SPENT
    assert len([m for m in mailoutbox if "taxes remboursées" in m.subject]) == 1
    out = StringIO()
    call_command("refund_withdrawn_taxes", stdout=out, stderr=StringIO())
    assert out.getvalue() == "0 démarche(s) remboursée(s), 0 échec(s).\n"
    assert _refunds(payment).count() == 1


def test_a_paid_draft_being_filed_is_never_refunded_by_the_command(
    client, buyer, django_capture_on_commit_callbacks
):
    """Between `paid_at` and the filing (record_payment), a paid draft
    without a refusal event is not the catch-up's."""
    demarche, payment = _draft_at_payment(client)
    ChangeOfHolder.objects.filter(demarche=demarche).update(paid_at=timezone.now())
    assert not list(unfiled_payments())


def test_a_filed_draft_is_not_refunded(client, buyer, django_capture_on_commit_callbacks):
    vehicle = VehicleFactory(plate="GH456JK")
    sold = declared(vehicle)
    demarche = start(client)
    fill_until_payment(
        client,
        demarche,
        start_data={**START, "immatriculation": "GH-456-JK", "code_cession": sold.code_display},
    )
    payment = pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    assert not _refunds(payment).exists()
    assert not _events("vehicules.unfiled_payment_refunded").exists()
