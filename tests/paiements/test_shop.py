import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from titres.core.models import AuditEvent
from titres.paiements.enums import (
    BankSessionState,
    LedgerKind,
    PaymentState,
    StampPurpose,
    StampState,
)
from titres.paiements.models import LedgerEntry, Payment, Stamp

from .helpers import CARDS, bank_session, card_data, open_purchase, pay

pytestmark = pytest.mark.django_db


def test_shop_is_public_and_lists_official_amounts(client):
    response = client.get(reverse("paiements:boutique"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Acheter un timbre fiscal électronique" in content
    for amount in ("25,00", "86,00", "42,00", "17,00"):
        assert amount in content


def test_shop_redirects_to_bank_page_with_merchant_reference_and_amount(client, settings):
    settings.DEBUG = True
    response, payment = open_purchase(client, purpose=StampPurpose.PASSEPORT_MAJEUR)
    assert payment.state == PaymentState.EN_ATTENTE
    assert payment.amount_cents == 8600
    session = bank_session(payment)
    assert response.status_code == 302
    assert response["Location"] == reverse("paiements:banque", args=[session.token])
    page = client.get(response["Location"]).content.decode()
    assert "032060919912121" in page
    assert payment.reference in page
    assert "86,00" in page
    assert "Annulation — retour à la boutique" in page
    # DEBUG: the test cards are listed; never otherwise.
    assert "4970 1000 0000 0022" in page
    settings.DEBUG = False
    assert "4970 1000 0000 0022" not in client.get(response["Location"]).content.decode()


def test_accepted_card_issues_stamp_emails_pdf_and_shows_it(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _, payment = open_purchase(client, email="marie@exemple.fr")
    response = pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("paiements:resultat", args=[payment.public_token]))
    payment.refresh_from_db()
    assert payment.state == PaymentState.ACCEPTE
    stamp = payment.stamp
    assert stamp.state == StampState.DISPONIBLE
    assert stamp.amount_cents == 2500
    assert len(stamp.number) == 16
    # 12 months of validity
    assert (stamp.valid_until - stamp.purchased_at).days in (365, 366)
    page = client.get(reverse("paiements:resultat", args=[payment.public_token])).content.decode()
    assert stamp.number in page
    assert "Paiement accepté" in page
    # e-mail with the PDF attached
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["marie@exemple.fr"]
    assert stamp.number in mail.subject
    name, content, mimetype = mail.attachments[0]
    assert name == f"timbre-{stamp.number}.pdf"
    assert mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert stamp.number in text
    assert "Permis de conduire après perte ou vol" in text
    # download link
    pdf = client.get(reverse("paiements:timbre_pdf", args=[payment.public_token]))
    assert pdf["Content-Type"] == "application/pdf"
    assert stamp.number in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    # ledger: cashed then issued
    kinds = sorted(LedgerEntry.objects.values_list("kind", flat=True))
    assert kinds == [LedgerKind.EMISSION, LedgerKind.PAIEMENT]
    assert AuditEvent.objects.filter(event="paiements.timbre_issued").count() == 1


def test_three_d_secure_card_needs_the_code(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.DEBUG = True
    _, payment = open_purchase(client)
    response = pay(client, payment, CARDS["3ds"], django_capture_on_commit_callbacks)
    session = bank_session(payment)
    assert response["Location"] == reverse("paiements:banque_3ds", args=[session.token])
    assert session.state == BankSessionState.CHALLENGE
    page = client.get(response["Location"]).content.decode()
    assert session.challenge_code in page  # shown in DEBUG only
    response = client.post(
        response["Location"], {"code": "000000" if session.challenge_code != "000000" else "111111"}
    )
    assert "Code incorrect. Il vous reste 2 essai(s)." in response.content.decode()
    payment.refresh_from_db()
    assert payment.state == PaymentState.EN_ATTENTE
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("paiements:banque_3ds", args=[session.token]), {"code": session.challenge_code}
        )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.state == PaymentState.ACCEPTE
    assert payment.stamp.state == StampState.DISPONIBLE
    assert len(mailoutbox) == 1


def test_three_d_secure_three_wrong_codes_refuse(client, django_capture_on_commit_callbacks):
    _, payment = open_purchase(client)
    pay(client, payment, CARDS["3ds"], django_capture_on_commit_callbacks)
    session = bank_session(payment)
    wrong = "000000" if session.challenge_code != "000000" else "111111"
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post(reverse("paiements:banque_3ds", args=[session.token]), {"code": wrong})
    payment.refresh_from_db()
    assert payment.state == PaymentState.REFUSE
    assert payment.failure_reason == "Authentification 3-D Secure échouée."
    assert not Stamp.objects.exists()


@pytest.mark.parametrize(
    ("behaviour", "state", "reason", "title"),
    [
        ("refuse", PaymentState.REFUSE, "Paiement refusé par votre banque.", "Paiement refusé"),
        ("provision", PaymentState.REFUSE, "Provision insuffisante.", "Paiement refusé"),
        (
            "delai",
            PaymentState.ECHEC,
            "Le serveur d’autorisation n’a pas répondu dans le délai.",
            "Le paiement n’a pas abouti",
        ),
    ],
)
def test_failing_cards_issue_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks, behaviour, state, reason, title
):
    _, payment = open_purchase(client)
    response = pay(client, payment, CARDS[behaviour], django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert payment.state == state
    assert payment.failure_reason == reason
    assert not Stamp.objects.exists()
    assert not LedgerEntry.objects.exists()
    assert mailoutbox == []
    page = client.get(response["Location"]).content.decode()
    assert title in page
    assert "Aucun montant n’a été débité." in page
    assert "Réessayer" in page


def test_unknown_card_is_refused(client, django_capture_on_commit_callbacks):
    _, payment = open_purchase(client)
    pay(client, payment, "4111111111111111", django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert payment.state == PaymentState.REFUSE
    assert payment.failure_reason == "Carte inconnue de la banque."


def test_card_form_checks_luhn_expiry_and_cvv(client):
    _, payment = open_purchase(client)
    url = reverse("paiements:banque", args=[bank_session(payment).token])
    page = client.post(url, card_data("4970100000000007")).content.decode()
    assert "Ce numéro de carte n’est pas valide (clé de contrôle incorrecte)." in page
    page = client.post(url, card_data(CARDS["accepte"], annee="2020")).content.decode()
    assert "Sélectionnez un choix valide" in page
    from django.utils import timezone

    today = timezone.localdate()
    if today.month > 1:
        page = client.post(
            url, card_data(CARDS["accepte"], annee=str(today.year), mois=str(today.month - 1))
        ).content.decode()
        assert "Cette carte est expirée." in page
    page = client.post(url, card_data(CARDS["accepte"], cvv="12a")).content.decode()
    assert "Le numéro de contrôle comporte 3 chiffres." in page
    assert bank_session(payment).state == BankSessionState.OUVERTE


def test_cancel_returns_to_shop(client, django_capture_on_commit_callbacks):
    _, payment = open_purchase(client)
    session = bank_session(payment)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("paiements:banque_annulation", args=[session.token]))
    assert response["Location"].endswith(reverse("paiements:resultat", args=[payment.public_token]))
    payment.refresh_from_db()
    assert payment.state == PaymentState.ANNULE
    assert "Paiement annulé" in client.get(response["Location"]).content.decode()


def test_double_click_on_validate_charges_once(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _, payment = open_purchase(client)
    pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    response = pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Stamp.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=LedgerKind.PAIEMENT).count() == 1
    assert len(mailoutbox) == 1


def test_double_submit_of_shop_form_reuses_payment(client):
    first, payment = open_purchase(client, key="cle-unique-1")
    second, again = open_purchase(client, key="cle-unique-1")
    assert payment.pk == again.pk
    assert first["Location"] == second["Location"]
    assert Payment.objects.count() == 1


def test_idempotency_key_reused_for_another_request_is_refused(client):
    open_purchase(client, key="cle-unique-2")
    response, _ = open_purchase(client, key="cle-unique-2", purpose=StampPurpose.PASSEPORT_MAJEUR)
    assert response.status_code == 200
    assert (
        "Cette demande de paiement a déjà été enregistrée avec d’autres informations."
        in response.content.decode()
    )
    assert Payment.objects.count() == 1


def test_key_of_settled_payment_goes_to_result(client, django_capture_on_commit_callbacks):
    _, payment = open_purchase(client, key="cle-unique-3")
    pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    response, _ = open_purchase(client, key="cle-unique-3")
    assert response["Location"] == reverse("paiements:resultat", args=[payment.public_token])
    assert Stamp.objects.count() == 1


def test_next_url_brings_the_stamp_back_to_the_journey(client, django_capture_on_commit_callbacks):
    _, payment = open_purchase(client, next_url="/permis/demande/12/paiement/?etape=6")
    assert payment.next_url == "/permis/demande/12/paiement/?etape=6"
    pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    page = client.get(reverse("paiements:resultat", args=[payment.public_token])).content.decode()
    number = Payment.objects.get(pk=payment.pk).stamp.number
    assert f"/permis/demande/12/paiement/?etape=6&amp;timbre={number}" in page


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_foreign_next_url_is_ignored(client, url):
    _, payment = open_purchase(client, next_url=url)
    assert payment.next_url == ""
    page = client.get(reverse("paiements:boutique"), {"next": url}).content.decode()
    assert f'value="{url}"' not in page


def test_result_and_pdf_of_unknown_token_are_404(client):
    assert client.get(reverse("paiements:resultat", args=["inconnu"])).status_code == 404
    assert client.get(reverse("paiements:timbre_pdf", args=["inconnu"])).status_code == 404


def test_pdf_of_unpaid_payment_is_404(client):
    _, payment = open_purchase(client)
    assert (
        client.get(reverse("paiements:timbre_pdf", args=[payment.public_token])).status_code == 404
    )


def test_pending_result_page_says_so(client):
    _, payment = open_purchase(client)
    page = client.get(reverse("paiements:resultat", args=[payment.public_token])).content.decode()
    assert "Paiement en attente de confirmation" in page


def test_buyer_closing_tab_still_gets_stamp(client, mailoutbox, django_capture_on_commit_callbacks):
    """The result comes from the notification, not from the buyer's return."""
    _, payment = open_purchase(client)
    pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    # no visit to the return page
    payment.refresh_from_db()
    assert payment.state == PaymentState.ACCEPTE
    assert payment.stamp.state == StampState.DISPONIBLE
    assert len(mailoutbox) == 1


def test_abandoned_bank_session_is_cancelled_by_periodic_task(
    client, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from titres.paiements.models import BankSession

    _, payment = open_purchase(client)
    BankSession.objects.update(created_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_stamps")
    payment.refresh_from_db()
    assert payment.state == PaymentState.ANNULE
    assert payment.failure_reason == "Délai de paiement dépassé."
