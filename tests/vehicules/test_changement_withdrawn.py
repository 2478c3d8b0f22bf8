"""A filed change of holder rejected by the CERT or abandoned by the buyer
(changement/decisions.withdraw_change): the registry unchanged, the CPI
withdrawn (links gone, `…/cpi.pdf` a 404 page saying why), the taxes
refunded through withdrawal.py, the code de cession given back until its
normal expiry (services/cession.release_code) so the buyer can file again
with it, all journaled; the buyer reads it on the pages, in the e-mail and
on the accusé."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from titres.core.models import AuditEvent
from titres.paiements.enums import LedgerKind
from titres.paiements.models import LedgerEntry
from titres.procedures.enums import Status
from titres.vehicules.changement.decisions import notices, withdraw_change
from titres.vehicules.enums import CessionState
from titres.vehicules.models import CessionDeclaration, ChangeOfHolder
from titres.vehicules.services.cession import check_code, declare_cession, release_code

from .factories import BUYER, VehicleFactory, declared
from .journey import START, fill_until_payment, pay_taxes, start
from .test_certificat_reject import _reject

pytestmark = pytest.mark.django_db


def _filed_with_code(client, capture, vehicle=None):
    vehicle = vehicle or VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle)
    demarche = start(client)
    fill_until_payment(
        client,
        demarche,
        start_data={**START, "immatriculation": "FG-123-HJ", "code_cession": sold.code_display},
    )
    pay_taxes(client, demarche, capture)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    sold.declaration.refresh_from_db()
    assert sold.declaration.state == CessionState.UTILISEE
    return demarche, sold


def _abandon(client, demarche, capture):
    with capture(execute=True):
        response = client.post(reverse("procedures:abandon", args=[demarche.number]))
    assert response.status_code == 302
    demarche.refresh_from_db()
    assert demarche.status == Status.ABANDONNEE


def _pdf_text(response) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    return " ".join(text.split())


def _events(name):
    return AuditEvent.objects.filter(event=name)


def test_a_rejected_change_refunds_withdraws_the_cpi_and_gives_the_code_back(
    client, buyer, django_capture_on_commit_callbacks, mailoutbox
):
    demarche, sold = _filed_with_code(client, django_capture_on_commit_callbacks)
    record = ChangeOfHolder.objects.get(demarche=demarche)
    vehicle = record.vehicle
    holder_before = vehicle.titulaire.last_name
    mailoutbox.clear()

    _reject(demarche, django_capture_on_commit_callbacks, reason="donnees_siv")

    assert demarche.status == Status.REJETEE
    record.refresh_from_db()
    assert record.withdrawn_at and record.code_released and record.refunded_at
    vehicle.refresh_from_db()
    assert vehicle.titulaire.last_name == holder_before  # the registry is unchanged
    assert LedgerEntry.objects.filter(
        payment__reference=record.payment_reference, kind=LedgerKind.REMBOURSEMENT_FRAIS
    ).exists()
    # The code is valid again, until the expiry it always had.
    declaration = CessionDeclaration.objects.get(pk=sold.declaration.pk)
    assert declaration.state == CessionState.ACTIVE
    assert (declaration.used_at, declaration.used_by_demarche) == (None, "")
    assert declaration.expires_at == sold.declaration.expires_at
    released = _events("vehicules.code_cession_released").get()
    assert released.data["demarche"] == demarche.number and released.data["motif"] == "rejetee"
    withdrawn = _events("vehicules.change_of_holder_withdrawn").get()
    assert withdrawn.data["code_cession_retabli"] is True
    assert withdrawn.data["cpi_retire"] == record.cpi_number

    expiry = timezone.localtime(declaration.expires_at).strftime("%d/%m/%Y")
    code_line = (
        f"Le code de cession remis par le vendeur est de nouveau valable, jusqu’au {expiry} : "
        "vous pouvez déposer une nouvelle demande de changement de titulaire avec ce même code."
    )
    assert notices(demarche)[0] == (
        "Votre demande a été rejetée : le changement de titulaire n’est pas inscrit au système "
        "d’immatriculation."
    )
    assert code_line in notices(demarche)
    cpi_url = reverse("vehicules:cpi", args=[demarche.number])
    detail = client.get(reverse("procedures:detail", args=[demarche.number])).content.decode()
    assert cpi_url not in detail and code_line in detail
    final = client.get(reverse("vehicules:finalisation", args=[demarche.number])).content.decode()
    assert "Demande rejetée" in final and cpi_url not in final and code_line in final
    assert "Avec le CPI, vous pouvez circuler" not in final
    gone = client.get(cpi_url)
    assert gone.status_code == 404
    page = gone.content.decode()
    assert "Ce certificat provisoire d’immatriculation est retiré" in page
    assert (
        f"Le certificat provisoire de la démarche n° {demarche.display_number} ne peut plus être "
        "téléchargé."
    ) in page
    assert f"n° {record.cpi_number} est retiré" in page and code_line in page

    mails = [m for m in mailoutbox if "rejetée : véhicule" in m.subject]
    assert len(mails) == 1 and mails[0].to == [buyer.email]
    assert code_line in mails[0].body and "Les taxes payées" in mails[0].body

    accuse = _pdf_text(client.get(reverse("vehicules:accuse", args=[demarche.number])))
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert f"La demande a été rejetée le {today} par le service instructeur" in accuse
    assert "Motif : Données du véhicule ou du titulaire incohérentes avec le SIV" in accuse
    assert f"n° {record.cpi_number} est retiré et ne vaut plus titre de circulation" in accuse
    assert "Le code de cession remis par le vendeur est de nouveau valable" in accuse
    assert "vous permet de circuler" not in accuse

    # The buyer files again with the same code: accepted, and the code is spent by the new file.
    again = start(client)
    fill_until_payment(
        client,
        again,
        start_data={**START, "immatriculation": "FG-123-HJ", "code_cession": sold.code_display},
    )
    pay_taxes(client, again, django_capture_on_commit_callbacks)
    again.refresh_from_db()
    declaration.refresh_from_db()
    assert again.status == Status.EN_COURS
    assert (declaration.state, declaration.used_by_demarche) == (
        CessionState.UTILISEE,
        again.number,
    )


def test_an_abandoned_change_is_withdrawn_like_a_rejected_one(
    client, buyer, django_capture_on_commit_callbacks, mailoutbox
):
    demarche, sold = _filed_with_code(client, django_capture_on_commit_callbacks)
    record = ChangeOfHolder.objects.get(demarche=demarche)
    mailoutbox.clear()

    _abandon(client, demarche, django_capture_on_commit_callbacks)

    record.refresh_from_db()
    assert record.withdrawn_at and record.code_released and record.refunded_at
    sold.declaration.refresh_from_db()
    assert sold.declaration.state == CessionState.ACTIVE
    assert _events("vehicules.code_cession_released").get().data["motif"] == "abandonnee"
    assert _events("vehicules.taxes_refunded").count() == 1
    assert notices(demarche)[0] == (
        "Vous avez abandonné la demande : le changement de titulaire n’est pas inscrit au "
        "système d’immatriculation."
    )
    cpi_url = reverse("vehicules:cpi", args=[demarche.number])
    assert (
        cpi_url
        not in client.get(reverse("procedures:detail", args=[demarche.number])).content.decode()
    )
    assert "Demande abandonnée" in client.get(cpi_url).content.decode()
    assert client.get(cpi_url).status_code == 404
    final = client.get(reverse("vehicules:finalisation", args=[demarche.number])).content.decode()
    assert "Demande abandonnée" in final and cpi_url not in final
    mails = [m for m in mailoutbox if "abandonnée : véhicule" in m.subject]
    assert len(mails) == 1 and "a été abandonnée à votre demande" in mails[0].body
    assert "avec ce même code" in mails[0].body
    accuse = _pdf_text(client.get(reverse("vehicules:accuse", args=[demarche.number])))
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert f"La demande a été abandonnée le {today} à la demande du télédéclarant" in accuse
    assert LedgerEntry.objects.filter(
        payment__reference=record.payment_reference, kind=LedgerKind.REMBOURSEMENT_FRAIS
    ).exists()


def test_a_second_withdrawal_and_an_abandoned_draft_do_nothing(
    client, buyer, django_capture_on_commit_callbacks
):
    demarche, first_sale = _filed_with_code(client, django_capture_on_commit_callbacks)
    _reject(demarche, django_capture_on_commit_callbacks)
    first = ChangeOfHolder.objects.get(demarche=demarche).withdrawn_at
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_change(demarche, actor=None)
    assert ChangeOfHolder.objects.get(demarche=demarche).withdrawn_at == first
    assert _events("vehicules.change_of_holder_withdrawn").count() == 1
    assert _events("vehicules.code_cession_released").count() == 1
    assert _events("vehicules.taxes_refunded").count() == 1

    # A draft abandoned holds nothing: nothing is withdrawn, its code stays as it was.
    sold = declared(VehicleFactory(plate="GH234JK"), seller=first_sale.declaration.seller)
    draft = start(client)
    client.post(
        reverse("procedures:step", args=[draft.number, "pour-commencer"]),
        {**START, "immatriculation": "GH-234-JK", "code_cession": sold.code_display},
    )
    assert ChangeOfHolder.objects.filter(demarche=draft).exists()
    _abandon(client, draft, django_capture_on_commit_callbacks)
    assert ChangeOfHolder.objects.get(demarche=draft).withdrawn_at is None
    assert _events("vehicules.change_of_holder_withdrawn").count() == 1
    sold.declaration.refresh_from_db()
    assert sold.declaration.state == CessionState.ACTIVE


def test_an_expired_code_is_not_given_back_and_the_buyer_is_told_how_to_file(
    client, buyer, django_capture_on_commit_callbacks, mailoutbox
):
    demarche, sold = _filed_with_code(client, django_capture_on_commit_callbacks)
    expired = timezone.now() - timedelta(minutes=1)
    CessionDeclaration.objects.filter(pk=sold.declaration.pk).update(expires_at=expired)

    _reject(demarche, django_capture_on_commit_callbacks)

    record = ChangeOfHolder.objects.get(demarche=demarche)
    assert record.withdrawn_at and not record.code_released and record.refunded_at
    sold.declaration.refresh_from_db()
    assert sold.declaration.state == CessionState.UTILISEE
    assert not _events("vehicules.code_cession_released").exists()
    day = timezone.localtime(expired).strftime("%d/%m/%Y")
    assert (
        f"Le code de cession remis par le vendeur a expiré le {day} : pour déposer une nouvelle "
        "demande, répondez « Non » à « Avez-vous un code de cession ? » et indiquez le numéro de "
        "formule ou la date du certificat d’immatriculation."
    ) in notices(demarche)


def test_a_code_superseded_by_a_new_declaration_is_not_given_back(
    client, buyer, django_capture_on_commit_callbacks
):
    demarche, sold = _filed_with_code(client, django_capture_on_commit_callbacks)
    # While the code was spent, the seller declared the sale again (a new code).
    seller = sold.declaration.seller
    again = declare_cession(
        vehicle=sold.declaration.vehicle,
        seller=seller,
        sold_at=sold.declaration.sold_at,
        mileage=48250,
        buyer=BUYER,
        actor=seller,
    )

    _reject(demarche, django_capture_on_commit_callbacks)

    record = ChangeOfHolder.objects.get(demarche=demarche)
    assert record.withdrawn_at and not record.code_released
    sold.declaration.refresh_from_db()
    assert sold.declaration.state == CessionState.UTILISEE
    again.declaration.refresh_from_db()
    assert again.declaration.state == CessionState.ACTIVE
    assert any("le vendeur a enregistré une autre déclaration" in n for n in notices(demarche))


def test_release_code_gives_back_only_the_code_this_file_spent():
    vehicle = VehicleFactory()
    sold = declared(vehicle)
    # Never spent: nothing to give back.
    assert not release_code(
        declaration=sold.declaration, demarche_number="X1", actor=None, abandoned=False
    )
    CessionDeclaration.objects.filter(pk=sold.declaration.pk).update(
        state=CessionState.UTILISEE, used_at=timezone.now(), used_by_demarche="OTHER"
    )
    # Spent by another file: it stays spent.
    assert not release_code(
        declaration=sold.declaration, demarche_number="X1", actor=None, abandoned=False
    )
    sold.declaration.refresh_from_db()
    assert sold.declaration.state == CessionState.UTILISEE
    assert release_code(
        declaration=sold.declaration,
        demarche_number="OTHER",
        actor=sold.declaration.seller,
        abandoned=True,
    )
    sold.declaration.refresh_from_db()
    assert (
        check_code(
            vehicle=vehicle,
            code=sold.code,
            last_name=BUYER.last_name,
            first_names=BUYER.first_names,
        )
        == sold.declaration
    )


def test_a_rejected_change_without_code_names_the_unused_fni_number(
    client, buyer, django_capture_on_commit_callbacks
):
    VehicleFactory(fni=True, plate="3457TV59")
    demarche = start(client)
    fill_until_payment(
        client,
        demarche,
        start_data={
            **START,
            "immatriculation": "3457 TV 59",
            "a_code_cession": "non",
            "date_ci": "18/03/2005",
        },
    )
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    demarche.refresh_from_db()
    record = ChangeOfHolder.objects.get(demarche=demarche)
    _reject(demarche, django_capture_on_commit_callbacks)
    lines = notices(demarche)
    assert (
        "Le numéro AA-001-AA inscrit sur le certificat provisoire n’est pas attribué au "
        "véhicule, qui garde son immatriculation 3457 TV 59."
    ) in lines
    assert (
        "Vous pouvez déposer une nouvelle demande de changement de titulaire avec le numéro de "
        "formule ou la date du certificat d’immatriculation."
    ) in lines
    record.refresh_from_db()
    assert record.withdrawn_at and not record.code_released and record.refunded_at
