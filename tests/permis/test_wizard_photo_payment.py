"""Licence request: e-photo code (step 4) and electronic stamp (step 6)."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from titres.paiements.enums import StampState
from titres.procedures.enums import Status

from .factories import EPhotoFactory, UserFactory
from .wizard_helpers import fill_until_documents, post, stamp, start, step_url, submit, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_clamav(settings):
    settings.CLAMAV_URL = ""


def _draft_at_photo(client, motif="expiration"):
    from .wizard_helpers import ADRESSE, ETAT_CIVIL

    demarche = start(client)
    post(client, demarche, "motif", {"motif": motif})
    post(client, demarche, "etat_civil", ETAT_CIVIL)
    post(client, demarche, "adresse", ADRESSE)
    return demarche


# --- E-photo -----------------------------------------------------------------------


def test_photo_page_links_to_photographers(client, citizen):
    demarche = _draft_at_photo(client)
    page = client.get(step_url(demarche, "photo"))
    assert "Où faire votre photo / signature numérique ?" in page.text
    assert reverse("permis:photographers") in page.text


@pytest.mark.parametrize(
    "code,message",
    [
        ("ABCD", "Ce code photo numérique n’est pas valide : il comporte 22 caractères"),
        ("EXPIRED", "Ce code photo numérique a expiré le"),
        ("USED", "Ce code photo numérique a déjà été utilisé pour une autre demande."),
        ("UNKNOWN", "Ce code photo numérique est inconnu."),
    ],
)
def test_invalid_ephoto_codes(client, citizen, code, message):
    from titres.permis.identifiers import new_ephoto_code

    if code == "EXPIRED":
        code = EPhotoFactory(expired=True).code
    elif code == "USED":
        code = EPhotoFactory(used=True).code
    elif code == "UNKNOWN":
        code = new_ephoto_code()
    demarche = _draft_at_photo(client)
    response = post(client, demarche, "photo", {"code_ephoto": code})
    assert response.status_code == 200
    assert message in response.text
    demarche.refresh_from_db()
    assert "photo" not in demarche.answers


def test_code_typed_with_spaces_and_lowercase(client, citizen):
    photo = EPhotoFactory()
    demarche = _draft_at_photo(client)
    typed = " ".join(photo.code[i : i + 4] for i in range(0, 22, 4)).lower()
    assert post(client, demarche, "photo", {"code_ephoto": typed}).status_code == 302
    demarche.refresh_from_db()
    assert demarche.answers["photo"]["code_ephoto"] == photo.code


def test_without_code_the_citizen_goes_on_but_cannot_submit(client, citizen):
    demarche = _draft_at_photo(client)
    response = post(client, demarche, "photo", {"code_ephoto": ""})
    assert response.url == step_url(demarche, "pieces")
    demarche.refresh_from_db()
    deadline = (timezone.localdate() + timedelta(days=15)).strftime("%d/%m/%Y")
    assert demarche.answers["photo"]["sans_code_depuis"] == timezone.localdate().isoformat()
    page = client.get(step_url(demarche, "photo"))
    assert f"saisissez-le au plus tard le {deadline}" in page.text
    for code in ["domicile", "identite"]:
        upload(client, demarche, code)
    response = submit(client, demarche)
    assert response.status_code == 400
    assert f"Saisissez votre code photo numérique avant le {deadline}" in response.text
    # Given within the delay, the request goes through.
    photo = EPhotoFactory()
    assert post(client, demarche, "photo", {"code_ephoto": photo.code}).status_code == 302
    assert submit(client, demarche).status_code == 302
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS


def test_missing_code_after_15_days_blocks_the_draft(client, citizen):
    with freeze_time("2026-01-05 10:00"):
        demarche = _draft_at_photo(client)
        post(client, demarche, "photo", {"code_ephoto": ""})
        for code in ["domicile", "identite"]:
            upload(client, demarche, code)
    with freeze_time("2026-01-20 10:00"):  # 15 days: still allowed
        client.force_login(citizen)
        page = client.get(step_url(demarche, "photo"))
        assert "Demande bloquée" not in page.text
    with freeze_time("2026-01-21 10:00"):
        client.force_login(citizen)
        photo = EPhotoFactory()
        page = client.get(step_url(demarche, "photo"))
        assert "Demande bloquée" in page.text
        assert "dépassé depuis le 20/01/2026 : cette demande est bloquée" in page.text
        response = post(client, demarche, "photo", {"code_ephoto": photo.code})
        assert response.status_code == 200 and "cette demande est bloquée" in response.text
        response = submit(client, demarche)
        assert response.status_code == 400 and "cette demande est bloquée" in response.text
        demarche.refresh_from_db()
        assert demarche.status == Status.BROUILLON


def test_code_used_meanwhile_refuses_the_submission(client, citizen):
    from titres.permis.services import use_ephoto_code

    demarche = start(client)
    photo = fill_until_documents(client, demarche, "expiration")
    for code in ["domicile", "identite"]:
        upload(client, demarche, code)
    use_ephoto_code(code=photo.code, holder=UserFactory(), reference="AUTRE")
    response = submit(client, demarche)
    assert response.status_code == 400
    assert "Ce code photo numérique a déjà été utilisé pour une autre demande." in response.text


# --- Stamp -------------------------------------------------------------------------


def _draft_at_payment(client, motif="vol"):
    demarche = start(client)
    fill_until_documents(client, demarche, motif)
    codes = ["domicile", "identite"] + (["recepisse_vol"] if motif == "vol" else [])
    for code in codes:
        upload(client, demarche, code)
    return demarche


def test_stamp_reserved_at_step_6_and_consumed_at_submission(client, citizen):
    bought = stamp()
    demarche = _draft_at_payment(client)
    assert post(client, demarche, "paiement", {"numero_timbre": bought.number}).status_code == 302
    bought.refresh_from_db()
    demarche.refresh_from_db()
    assert bought.state == StampState.RESERVE and bought.holder == f"demarche:{demarche.number}"
    assert demarche.payment_reference == bought.number
    # Saving the step again keeps the same reservation.
    assert post(client, demarche, "paiement", {"numero_timbre": bought.number}).status_code == 302
    assert submit(client, demarche).status_code == 302
    bought.refresh_from_db()
    assert bought.state == StampState.CONSOMME


def test_stamp_released_when_the_draft_is_abandoned(client, citizen):
    bought = stamp()
    demarche = _draft_at_payment(client, motif="perte")
    post(client, demarche, "paiement", {"numero_timbre": bought.number})
    response = client.post(reverse("procedures:abandon", args=[demarche.number]))
    assert response.status_code == 302
    demarche.refresh_from_db()
    bought.refresh_from_db()
    assert demarche.status == Status.ABANDONNEE
    assert bought.state == StampState.DISPONIBLE and bought.holder == ""


def test_stamp_released_when_a_stale_draft_is_expired(client, citizen):
    from django.core.management import call_command

    from titres.core.models import AuditEvent
    from titres.procedures.models import Demarche

    bought = stamp()
    demarche = _draft_at_payment(client, motif="vol")
    post(client, demarche, "paiement", {"numero_timbre": bought.number})
    bought.refresh_from_db()
    assert bought.state == StampState.RESERVE
    Demarche.objects.filter(pk=demarche.pk).update(updated_at=timezone.now() - timedelta(days=91))
    call_command("expire_drafts", stdout=io.StringIO())
    demarche.refresh_from_db()
    bought.refresh_from_db()
    assert demarche.status == Status.ABANDONNEE
    assert bought.state == StampState.DISPONIBLE and bought.holder == ""
    released = AuditEvent.objects.get(event="paiements.timbre_released")
    assert released.actor is None  # the system


def test_a_submitted_file_abandoned_keeps_its_stamp_consumed(client, citizen):
    bought = stamp()
    demarche = _draft_at_payment(client, motif="vol")
    post(client, demarche, "paiement", {"numero_timbre": bought.number})
    assert submit(client, demarche).status_code == 302
    client.post(reverse("procedures:abandon", args=[demarche.number]))
    demarche.refresh_from_db()
    bought.refresh_from_db()
    assert demarche.status == Status.ABANDONNEE
    assert bought.state == StampState.CONSOMME


def test_stamp_released_when_the_reason_no_longer_pays_or_the_number_changes(client, citizen):
    first, second = stamp(), stamp()
    demarche = _draft_at_payment(client)
    post(client, demarche, "paiement", {"numero_timbre": first.number})
    post(client, demarche, "paiement", {"numero_timbre": second.number})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == StampState.DISPONIBLE
    assert second.state == StampState.RESERVE
    post(client, demarche, "motif", {"motif": "expiration"})
    second.refresh_from_db()
    demarche.refresh_from_db()
    assert second.state == StampState.DISPONIBLE and demarche.payment_reference == ""
    assert "paiement" not in demarche.answers


@pytest.mark.parametrize(
    "kind,message",
    [
        ("purpose", "Ce timbre a été acheté pour « Passeport majeur »"),
        ("malformed", "Le numéro de timbre doit comporter 16 chiffres."),
        ("expired", "Ce timbre n’est plus valable depuis le"),
        ("unknown", "Aucun timbre ne correspond à ce numéro."),
        ("used", "Ce timbre a déjà été utilisé pour une démarche."),
        ("other", "Ce timbre est déjà réservé par une autre démarche."),
    ],
)
def test_stamp_refusals(client, citizen, kind, message):
    from titres.paiements.services import consume_stamp, reserve_stamp

    if kind == "purpose":
        number = stamp(purpose="passeport_majeur").number
    elif kind == "expired":
        number = stamp(expired=True).number
    elif kind == "unknown":
        from stdnum import luhn

        number = "123456781234567" + luhn.calc_check_digit("123456781234567")
    elif kind == "malformed":
        number = "1234"
    elif kind == "used":
        number = stamp().number
        consume_stamp(
            number=number, holder="demarche:AUTRE", purpose="permis_perte_vol", actor=None
        )
    else:
        number = stamp().number
        reserve_stamp(
            number=number, purpose="permis_perte_vol", holder="demarche:AUTRE", actor=None
        )
    demarche = _draft_at_payment(client)
    response = post(client, demarche, "paiement", {"numero_timbre": number})
    assert response.status_code == 200
    assert message in response.text
    demarche.refresh_from_db()
    assert demarche.payment_reference == ""


def test_stamp_expired_between_reservation_and_submission(client, citizen):
    from titres.paiements.models import Stamp

    bought = stamp()
    demarche = _draft_at_payment(client)
    post(client, demarche, "paiement", {"numero_timbre": bought.number})
    Stamp.objects.filter(pk=bought.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    response = submit(client, demarche)
    assert response.status_code == 400
    assert "Ce timbre n’est plus valable depuis le" in response.text
    demarche.refresh_from_db()
    assert demarche.status == Status.BROUILLON


def test_back_from_the_shop_with_the_bought_stamp(client, citizen):
    demarche = _draft_at_payment(client)
    page = client.get(step_url(demarche, "paiement"))
    back = reverse("permis:stamp_return", args=[demarche.number])
    assert f"next={back.replace('/', '%2F')}" in page.text
    bought = stamp()
    # The link from the shop only asks: a GET never reserves the stamp.
    confirm = client.get(back, {"timbre": bought.number})
    assert confirm.status_code == 200
    assert f"Utiliser le timbre n° {bought.number} pour cette demande ?" in confirm.text
    assert 'method="post"' in confirm.text
    bought.refresh_from_db()
    demarche.refresh_from_db()
    assert bought.state != StampState.RESERVE
    assert "paiement" not in (demarche.answers or {})
    response = client.post(back, {"timbre": bought.number})
    assert response.url == step_url(demarche, "paiement")
    bought.refresh_from_db()
    demarche.refresh_from_db()
    assert bought.state == StampState.RESERVE
    assert demarche.answers["paiement"]["numero_timbre"] == bought.number
    page = client.get(response.url)
    assert f"Le timbre n° {bought.number} est enregistré pour votre demande." in page.text
    # A wrong stamp comes back with the reason.
    wrong = stamp(purpose="passeport_majeur")
    page = client.post(back, {"timbre": wrong.number}, follow=True)
    assert "Ce timbre a été acheté pour « Passeport majeur »" in page.text
    # Without a number, back to the payment step.
    assert client.get(back).url == step_url(demarche, "paiement")
    assert client.post(back).url == step_url(demarche, "paiement")


def test_stamp_return_needs_the_csrf_token(client, citizen):
    from django.test import Client

    demarche = _draft_at_payment(client)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(citizen)
    bought = stamp()
    back = reverse("permis:stamp_return", args=[demarche.number])
    assert strict.post(back, {"timbre": bought.number}).status_code == 403
    bought.refresh_from_db()
    assert bought.state != StampState.RESERVE


def test_shop_purchase_comes_back_into_the_journey(
    client, citizen, django_capture_on_commit_callbacks, settings
):
    """The real shop: pay with the local bank's test card, follow the link back."""
    from tests.paiements.helpers import CARDS, open_purchase, pay

    settings.PAYMENT_PROVIDER = "local"
    settings.PAYMENT_SECRET_KEY = "cle-de-test-hmac"
    demarche = _draft_at_payment(client)
    back = reverse("permis:stamp_return", args=[demarche.number])
    _response, payment = open_purchase(client, next_url=back)
    pay(client, payment, CARDS["accepte"], django_capture_on_commit_callbacks)
    result = client.get(reverse("paiements:resultat", args=[payment.public_token]))
    number = result.context["stamp"].number
    link = result.context["next_link"]
    assert link.startswith(back) and number in link
    assert "Utiliser le timbre n°" in client.get(link).text
    assert client.post(back, {"timbre": number}).url == step_url(demarche, "paiement")
    demarche.refresh_from_db()
    assert demarche.payment_reference == number


def test_validating_the_payment_form_writes_nothing(client, citizen):
    """Issue 13 item 4: validation checks; the step's save reserves."""
    from titres.permis.procedure import CODE
    from titres.procedures.registry import get_procedure

    bought = stamp()
    demarche = _draft_at_payment(client)
    form = (
        get_procedure(CODE)
        .step("paiement")
        .get_form(demarche, data={"numero_timbre": bought.number})
    )
    assert form.is_valid() and form.is_valid()
    bought.refresh_from_db()
    assert bought.state == StampState.DISPONIBLE and not bought.holder


def test_a_stamp_reserved_elsewhere_between_check_and_save_refuses_the_step(
    client, citizen, monkeypatch
):
    from titres.paiements import services as stamp_services

    bought = stamp()
    demarche = _draft_at_payment(client)
    real_check = stamp_services.check_stamp

    def check_then_lose_the_race(**kwargs):
        checked = real_check(**kwargs)
        stamp_services.reserve_stamp(
            number=bought.number, purpose=bought.purpose, holder="demarche:AUTRE", actor=None
        )
        return checked

    monkeypatch.setattr(stamp_services, "check_stamp", check_then_lose_the_race)
    page = post(client, demarche, "paiement", {"numero_timbre": bought.number})
    assert page.status_code == 400
    assert "Ce timbre est déjà réservé par une autre démarche." in page.content.decode()
    demarche.refresh_from_db()
    assert "paiement" not in (demarche.answers or {}) and not demarche.payment_reference
    bought.refresh_from_db()
    assert bought.holder == "demarche:AUTRE"
