from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from titres.core.models import AuditEvent
from titres.paiements import services
from titres.paiements.enums import LedgerKind, StampPurpose, StampState
from titres.paiements.models import LedgerEntry, Stamp
from titres.paiements.services import StampError

from .factories import StampFactory

pytestmark = pytest.mark.django_db
HOLDER = "demarche:P-000001"
OTHER = "demarche:P-000002"


def refusal(func, code, message, **kwargs):
    with pytest.raises(StampError) as exc:
        func(**kwargs)
    assert exc.value.code == code
    assert exc.value.messages == [message]


def test_reserve_then_consume():
    stamp = StampFactory()
    reserved = services.reserve_stamp(
        number=stamp.number, purpose=StampPurpose.PERMIS_PERTE_VOL, holder=HOLDER, actor=None
    )
    assert reserved.state == StampState.RESERVE
    assert reserved.holder == HOLDER
    consumed = services.consume_stamp(number=stamp.number, holder=HOLDER, actor=None)
    assert consumed.state == StampState.CONSOMME
    assert consumed.consumed_at is not None
    assert LedgerEntry.objects.filter(stamp=stamp, kind=LedgerKind.CONSOMMATION).count() == 1
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"paiements.timbre_reserved", "paiements.timbre_consumed"} <= events


def test_number_is_accepted_with_spaces():
    stamp = StampFactory()
    spaced = " ".join(stamp.number[i : i + 4] for i in range(0, 16, 4))
    reserved = services.reserve_stamp(
        number=spaced, purpose="permis_perte_vol", holder=HOLDER, actor=None
    )
    assert reserved.number == stamp.number


def test_reserve_is_idempotent_for_the_same_holder():
    stamp = StampFactory()
    for _ in range(2):
        services.reserve_stamp(
            number=stamp.number, purpose="permis_perte_vol", holder=HOLDER, actor=None
        )
    assert AuditEvent.objects.filter(event="paiements.timbre_reserved").count() == 1


def test_reserved_stamp_cannot_be_reserved_by_another_draft():
    stamp = StampFactory(reserved_by=HOLDER)
    refusal(
        services.reserve_stamp,
        "reserve",
        "Ce timbre est déjà réservé par une autre démarche.",
        number=stamp.number,
        purpose="permis_perte_vol",
        holder=OTHER,
        actor=None,
    )


def test_wrong_purpose_is_refused_with_both_purposes_named():
    stamp = StampFactory(purpose=StampPurpose.PASSEPORT_MAJEUR)
    refusal(
        services.reserve_stamp,
        "motif",
        "Ce timbre a été acheté pour « Passeport majeur » (86,00\u00a0€) ; cette démarche "
        "demande un timbre « Permis de conduire après perte ou vol » (25,00\u00a0€).",
        number=stamp.number,
        purpose=StampPurpose.PERMIS_PERTE_VOL,
        holder=HOLDER,
        actor=None,
    )
    assert Stamp.objects.get(pk=stamp.pk).state == StampState.DISPONIBLE


def test_same_amount_other_purpose_is_still_refused():
    """ID card and licence cost the same 25 €, but are different stamps."""
    stamp = StampFactory(purpose=StampPurpose.CNI_PERTE_VOL)
    with pytest.raises(StampError) as exc:
        services.reserve_stamp(
            number=stamp.number, purpose=StampPurpose.PERMIS_PERTE_VOL, holder=HOLDER, actor=None
        )
    assert exc.value.code == "motif"


def test_amount_different_from_tariff_is_refused():
    stamp = StampFactory()
    Stamp.objects.filter(pk=stamp.pk).update(amount_cents=2000)
    refusal(
        services.reserve_stamp,
        "montant",
        "Le montant de ce timbre (20,00\u00a0€) ne correspond pas au tarif (25,00\u00a0€).",
        number=stamp.number,
        purpose="permis_perte_vol",
        holder=HOLDER,
        actor=None,
    )


def test_expired_stamp_is_refused_with_clear_message():
    with freeze_time("2024-03-15 10:00:00+01:00"):
        stamp = StampFactory()
    assert timezone.localtime(stamp.valid_until).date().isoformat() == "2025-03-15"
    refusal(
        services.reserve_stamp,
        "expire",
        "Ce timbre n’est plus valable depuis le 15/03/2025 : un timbre est valable 12 mois "
        "à compter de son achat.",
        number=stamp.number,
        purpose="permis_perte_vol",
        holder=HOLDER,
        actor=None,
    )
    refusal(
        services.consume_stamp,
        "expire",
        "Ce timbre n’est plus valable depuis le 15/03/2025 : un timbre est valable 12 mois "
        "à compter de son achat.",
        number=stamp.number,
        purpose="permis_perte_vol",
        holder=HOLDER,
        actor=None,
    )
    status = services.stamp_status(stamp.number)
    assert status.state == StampState.EXPIRE
    assert not status.usable


def test_stamp_valid_until_the_last_moment():
    with freeze_time("2024-03-15 10:00:00+01:00"):
        stamp = StampFactory()
    with freeze_time("2025-03-15 09:59:59+01:00"):
        services.reserve_stamp(
            number=stamp.number, purpose="permis_perte_vol", holder=HOLDER, actor=None
        )


def test_expire_stamps_task_expires_available_and_reserved_with_ledger():
    with freeze_time("2024-01-10"):
        available = StampFactory()
        reserved = StampFactory(reserved_by=HOLDER)
        consumed = StampFactory(consumed_by=OTHER)
    fresh = StampFactory()
    assert services.expire_stamps() == 2
    assert Stamp.objects.get(pk=available.pk).state == StampState.EXPIRE
    reserved = Stamp.objects.get(pk=reserved.pk)
    assert reserved.state == StampState.EXPIRE
    assert reserved.holder == ""
    assert Stamp.objects.get(pk=consumed.pk).state == StampState.CONSOMME
    assert Stamp.objects.get(pk=fresh.pk).state == StampState.DISPONIBLE
    assert LedgerEntry.objects.filter(kind=LedgerKind.EXPIRATION).count() == 2
    assert services.expire_stamps() == 0
    # the draft that held it releases without error
    services.release_stamp(number=reserved.number, holder=HOLDER, actor=None)


def test_consume_twice_by_same_holder_is_a_noop_and_by_another_refused():
    stamp = StampFactory(reserved_by=HOLDER)
    services.consume_stamp(number=stamp.number, holder=HOLDER, actor=None)
    services.consume_stamp(number=stamp.number, holder=HOLDER, actor=None)
    assert LedgerEntry.objects.filter(kind=LedgerKind.CONSOMMATION).count() == 1
    refusal(
        services.consume_stamp,
        "consomme",
        "Ce timbre a déjà été utilisé pour une démarche.",
        number=stamp.number,
        holder=OTHER,
        purpose="permis_perte_vol",
        actor=None,
    )


def test_consume_without_reservation_needs_purpose():
    stamp = StampFactory()
    refusal(
        services.consume_stamp,
        "non_reserve",
        "Ce timbre n’est pas réservé par cette démarche.",
        number=stamp.number,
        holder=HOLDER,
        actor=None,
    )
    consumed = services.consume_stamp(
        number=stamp.number, holder=HOLDER, purpose="permis_perte_vol", actor=None
    )
    assert consumed.state == StampState.CONSOMME


def test_consume_reserved_by_another_is_refused():
    stamp = StampFactory(reserved_by=OTHER)
    refusal(
        services.consume_stamp,
        "reserve",
        "Ce timbre est déjà réservé par une autre démarche.",
        number=stamp.number,
        holder=HOLDER,
        purpose="permis_perte_vol",
        actor=None,
    )


def test_consume_with_wrong_purpose_is_refused_even_when_reserved():
    stamp = StampFactory(reserved_by=HOLDER)
    with pytest.raises(StampError) as exc:
        services.consume_stamp(
            number=stamp.number, holder=HOLDER, purpose="passeport_majeur", actor=None
        )
    assert exc.value.code == "motif"


def test_release_returns_stamp_to_available():
    stamp = StampFactory(reserved_by=HOLDER)
    released = services.release_stamp(number=stamp.number, holder=HOLDER, actor=None)
    assert released.state == StampState.DISPONIBLE
    assert released.holder == ""
    # again: no-op
    services.release_stamp(number=stamp.number, holder=HOLDER, actor=None)
    assert AuditEvent.objects.filter(event="paiements.timbre_released").count() == 1
    # now another draft may take it
    services.reserve_stamp(
        number=stamp.number, purpose="permis_perte_vol", holder=OTHER, actor=None
    )


def test_release_by_another_holder_or_after_consumption_is_refused():
    stamp = StampFactory(reserved_by=OTHER)
    refusal(
        services.release_stamp,
        "reserve",
        "Ce timbre n’est pas réservé par cette démarche.",
        number=stamp.number,
        holder=HOLDER,
        actor=None,
    )
    consumed = StampFactory(consumed_by=HOLDER)
    refusal(
        services.release_stamp,
        "consomme",
        "Ce timbre a déjà été utilisé : il ne peut plus être libéré.",
        number=consumed.number,
        holder=HOLDER,
        actor=None,
    )


def test_unknown_and_malformed_numbers():
    refusal(
        services.reserve_stamp,
        "format",
        "Le numéro de timbre doit comporter 16 chiffres.",
        number="1234",
        purpose="permis_perte_vol",
        holder=HOLDER,
        actor=None,
    )
    refusal(
        services.reserve_stamp,
        "cle",
        "Ce numéro de timbre n’est pas valide (clé de contrôle incorrecte).",
        number="1234567812345678",
        purpose="permis_perte_vol",
        holder=HOLDER,
        actor=None,
    )
    refusal(
        services.reserve_stamp,
        "inconnu",
        "Aucun timbre ne correspond à ce numéro.",
        number="1234567812345670",
        purpose="permis_perte_vol",
        holder=HOLDER,
        actor=None,
    )
    assert services.stamp_status("1234567812345670") is None


def test_refund_of_available_stamp(mailoutbox, django_capture_on_commit_callbacks):
    stamp = StampFactory(email="Paul@Exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        refunded = services.refund_stamp(number=stamp.number, email="paul@exemple.fr", actor=None)
    assert refunded.state == StampState.REMBOURSE
    assert refunded.refunded_at is not None
    entry = LedgerEntry.objects.get(kind=LedgerKind.REMBOURSEMENT)
    assert entry.amount_cents == 2500
    assert mailoutbox[0].subject == f"Remboursement du timbre fiscal électronique n° {stamp.number}"
    refusal(
        services.reserve_stamp,
        "rembourse",
        "Ce timbre a été remboursé : il n’est plus utilisable.",
        number=stamp.number,
        purpose="permis_perte_vol",
        holder=HOLDER,
        actor=None,
    )
    refusal(
        services.refund_stamp,
        "rembourse",
        "Ce timbre a déjà été remboursé.",
        number=stamp.number,
        email="paul@exemple.fr",
        actor=None,
    )


def test_refund_of_consumed_stamp_is_refused():
    stamp = StampFactory(consumed_by=HOLDER)
    refusal(
        services.refund_stamp,
        "consomme",
        "Ce timbre a déjà été utilisé : il ne peut pas être remboursé.",
        number=stamp.number,
        email=stamp.email,
        actor=None,
    )
    assert Stamp.objects.get(pk=stamp.pk).state == StampState.CONSOMME
    assert not LedgerEntry.objects.filter(kind=LedgerKind.REMBOURSEMENT).exists()


def test_refund_of_reserved_or_expired_stamp_is_refused():
    reserved = StampFactory(reserved_by=HOLDER)
    refusal(
        services.refund_stamp,
        "reserve",
        "Ce timbre est réservé par une démarche en cours : il ne peut pas être remboursé "
        "tant qu’elle ne l’a pas libéré.",
        number=reserved.number,
        email=reserved.email,
        actor=None,
    )
    expired = StampFactory(expired=True)
    refusal(
        services.refund_stamp,
        "expire",
        "Ce timbre n’est plus valable : il ne peut pas être remboursé.",
        number=expired.number,
        email=expired.email,
        actor=None,
    )


def test_refund_needs_the_buyer_email():
    stamp = StampFactory()
    refusal(
        services.refund_stamp,
        "inconnu",
        "Aucun timbre ne correspond à ce numéro et à cette adresse e-mail.",
        number=stamp.number,
        email="quelquun@autre.fr",
        actor=None,
    )


def test_stamp_status_gives_state_purpose_and_amount():
    stamp = StampFactory(purpose=StampPurpose.PASSEPORT_MINEUR_15_17, reserved_by=HOLDER)
    status = services.stamp_status(stamp.number)
    assert status.state == StampState.RESERVE
    assert status.state_label == "Réservé"
    assert status.purpose_label == "Passeport mineur de 15 à 17 ans"
    assert status.amount_cents == 4200
    assert not status.usable


def test_add_months_handles_short_months():
    from datetime import datetime

    assert services.add_months(datetime(2024, 2, 29), 12) == datetime(2025, 2, 28)
    assert services.add_months(datetime(2024, 1, 31), 1) == datetime(2024, 2, 29)
    assert services.add_months(datetime(2024, 12, 5), 12) == datetime(2025, 12, 5)


def test_holder_is_required():
    stamp = StampFactory()
    with pytest.raises(ValueError):
        services.reserve_stamp(
            number=stamp.number, purpose="permis_perte_vol", holder=" ", actor=None
        )


def test_database_refuses_a_reserved_stamp_without_holder():
    from django.db import IntegrityError, transaction

    stamp = StampFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Stamp.objects.filter(pk=stamp.pk).update(state=StampState.RESERVE)


def test_database_refuses_a_second_consumption_entry():
    from django.db import IntegrityError, transaction

    stamp = StampFactory(consumed_by=HOLDER)
    with pytest.raises(IntegrityError), transaction.atomic():
        services._ledger(LedgerKind.CONSOMMATION, stamp.amount_cents, stamp=stamp)


def test_sold_stamp_is_valid_twelve_months():
    stamp = StampFactory()
    assert stamp.valid_until - stamp.purchased_at >= timedelta(days=365)
