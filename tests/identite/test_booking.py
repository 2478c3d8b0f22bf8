import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from titres.core import numbering
from titres.core.models import AuditEvent
from titres.identite.enums import AppointmentStatus
from titres.identite.errors import RegisterError
from titres.identite.models import Appointment, AppointmentApplication
from titres.identite.services.appointments import (
    book_appointment,
    cancel_appointments,
    release_stale_appointments,
)
from titres.identite.services.predemandes import create_predemande, expire_predemandes

from .factories import PreDemandeFactory
from .helpers import bookable_device, next_slots

pytestmark = pytest.mark.django_db


def book(predemandes, device, starts_at, **kwargs):
    return book_appointment(
        application_ids=[p.number for p in predemandes],
        device=device,
        starts_at=starts_at,
        actor=None,
        **kwargs,
    )


def refusal(predemandes, device, starts_at, **kwargs) -> RegisterError:
    with pytest.raises(RegisterError) as info:
        book(predemandes, device, starts_at, **kwargs)
    return info.value


def test_create_predemande_draws_a_number_and_an_expiry(settings):
    settings.IDENTITE_PREDEMANDE_VALIDITY_DAYS = 10
    predemande = create_predemande(
        title="passeport",
        motif="premiere",
        last_name="DURAND",
        first_names="Léa",
        birth_date=datetime.date(2001, 1, 1),
        actor=None,
    )
    assert numbering.is_valid(predemande.number) and len(predemande.number) == 10
    assert predemande.expires_at - predemande.created_at == datetime.timedelta(days=10)
    assert AuditEvent.objects.filter(event="identite.predemande_created").count() == 1


def test_booking_takes_one_place_and_is_journaled():
    device = bookable_device()
    predemande = PreDemandeFactory()
    (slot,) = next_slots(device, 1)
    (appointment,) = book([predemande], device, slot, email="a@example.fr")
    assert appointment.status == AppointmentStatus.ACTIVE
    assert appointment.meeting_point == device.meeting_point
    assert appointment.ends_at - appointment.starts_at == datetime.timedelta(minutes=20)
    assert list(appointment.applications.values_list("predemande__number", flat=True)) == [
        predemande.number
    ]
    event = AuditEvent.objects.get(event="identite.appointment_booked")
    assert event.data["numbers"] == [predemande.number]
    # The slot is full now (one person per slot).
    assert next_slots(device, 1) != [slot]


def test_a_full_slot_is_refused():
    device = bookable_device()
    (slot,) = next_slots(device, 1)
    book([PreDemandeFactory()], device, slot)
    error = refusal([PreDemandeFactory()], device, slot)
    assert error.code == "slot_full"
    assert error.message == "Ce créneau vient d’être réservé : choisissez-en un autre."


def test_a_start_the_device_does_not_publish_is_refused():
    device = bookable_device()
    (slot,) = next_slots(device, 1)
    error = refusal([PreDemandeFactory()], device, slot + datetime.timedelta(minutes=5))
    assert error.message == "Ce créneau n’est pas proposé : choisissez-en un autre."
    device.meeting_point.is_published = False
    device.meeting_point.save()
    assert refusal([PreDemandeFactory()], device, slot).code == "slot_unavailable"


def test_two_numbers_of_one_person_take_one_place_two_people_take_two():
    device = bookable_device()
    open_two = device.opening_rules.update(people_per_slot=2)
    assert open_two == 7
    (slot,) = next_slots(device, 1)
    cni = PreDemandeFactory(title="cni", first_names="Jean")
    passport = PreDemandeFactory(first_names="Jean")
    appointments = book([cni, passport], device, slot)
    assert len(appointments) == 1
    assert appointments[0].applications.count() == 2
    child = PreDemandeFactory(first_names="Zoé", birth_date=datetime.date(2015, 3, 3))
    assert len(book([child], device, slot)) == 1
    assert refusal([PreDemandeFactory()], device, slot).code == "slot_full"


@pytest.mark.parametrize(
    ("trait", "code", "message"),
    [
        (
            "consumed",
            "consumed",
            "Le dossier de la pré-demande {n} a déjà été recueilli en mairie : "
            "un rendez-vous n’est plus nécessaire.",
        ),
        (
            "declared",
            "declared",
            "Le numéro de pré-demande {n} est déclaré mais n’est pas reconnu officiellement : "
            "refaites la pré-demande en ligne.",
        ),
        ("expired", "expired", "La pré-demande {n} a expiré : faites une nouvelle pré-demande."),
    ],
)
def test_only_validated_numbers_are_bookable(trait, code, message):
    device = bookable_device()
    (slot,) = next_slots(device, 1)
    predemande = PreDemandeFactory(**{trait: True})
    error = refusal([predemande], device, slot)
    assert error.code == code
    assert error.message == message.format(n=numbering.format_number(predemande.number))
    assert not Appointment.objects.exists()


def test_a_validated_number_past_its_expiry_is_refused_as_expired():
    device = bookable_device()
    (slot,) = next_slots(device, 1)
    predemande = PreDemandeFactory(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert refusal([predemande], device, slot).code == "expired"


def test_unknown_and_malformed_numbers():
    device = bookable_device()
    (slot,) = next_slots(device, 1)
    number = PreDemandeFactory.build().number
    with pytest.raises(RegisterError) as info:
        book_appointment(application_ids=[number], device=device, starts_at=slot, actor=None)
    assert info.value.message == (
        f"Le numéro de pré-demande {numbering.format_number(number)} est inconnu : "
        "vérifiez-le, ou faites votre pré-demande en ligne."
    )
    with pytest.raises(RegisterError) as info:
        book_appointment(application_ids=["ABC123"], device=device, starts_at=slot, actor=None)
    assert info.value.message == (
        "Le numéro de pré-demande « ABC123 » n’est pas valide : il compte 10 caractères "
        "(lettres et chiffres) et le dernier est une clé de contrôle."
    )
    with pytest.raises(RegisterError) as info:
        book_appointment(application_ids=[" "], device=device, starts_at=slot, actor=None)
    assert info.value.message == "Indiquez au moins un numéro de pré-demande."


def test_a_second_booking_elsewhere_is_refused_with_the_first_one_shown():
    here, there = bookable_device(name="Mairie de Lyon 1er"), bookable_device(name="Mairie de Bron")
    predemande = PreDemandeFactory()
    (first,) = book([predemande], here, next_slots(here, 1)[0])
    error = refusal([predemande], there, next_slots(there, 1)[0])
    assert error.code == "already_booked"
    assert error.appointments == [first]
    local = timezone.localtime(first.starts_at)
    assert f"à {local:%H:%M}, Mairie de Lyon 1er (69001 Lyon)" in error.message
    assert error.message.startswith(
        f"La pré-demande {numbering.format_number(predemande.number)} a déjà un rendez-vous le "
    )
    assert Appointment.objects.filter(status=AppointmentStatus.ACTIVE).count() == 1


def test_cancel_and_rebook_in_one_step():
    here, there = bookable_device(), bookable_device()
    predemande = PreDemandeFactory()
    (first,) = book([predemande], here, next_slots(here, 1)[0])
    (second,) = book([predemande], there, next_slots(there, 1)[0], replace_existing=True)
    first.refresh_from_db()
    assert first.status == AppointmentStatus.CANCELLED
    assert second.status == AppointmentStatus.ACTIVE
    assert AppointmentApplication.objects.get(is_active=True).appointment == second
    event = AuditEvent.objects.filter(event="identite.appointment_booked").last()
    assert event.data["replaced"] == [first.reference]


def test_a_failed_rebooking_keeps_the_first_appointment():
    here, there = bookable_device(), bookable_device()
    predemande = PreDemandeFactory()
    (first,) = book([predemande], here, next_slots(here, 1)[0])
    (full,) = next_slots(there, 1)
    book([PreDemandeFactory()], there, full)
    assert refusal([predemande], there, full, replace_existing=True).code == "slot_full"
    first.refresh_from_db()
    assert first.status == AppointmentStatus.ACTIVE


def test_moving_within_the_same_slot_counts_its_own_place():
    device = bookable_device()
    predemande = PreDemandeFactory()
    (slot,) = next_slots(device, 1)
    book([predemande], device, slot)
    (again,) = book([predemande], device, slot, replace_existing=True)
    assert again.status == AppointmentStatus.ACTIVE


def test_the_database_refuses_two_active_links_for_one_number():
    device = bookable_device()
    predemande = PreDemandeFactory()
    slot_a, slot_b = next_slots(device, 2)
    (first,) = book([predemande], device, slot_a)
    other = Appointment.objects.create(
        reference="X", management_token="y", device=device, starts_at=slot_b
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentApplication.objects.create(appointment=other, predemande=predemande)
    AppointmentApplication.objects.create(appointment=other, predemande=predemande, is_active=False)


def test_cancel_through_the_management_token():
    device = bookable_device()
    predemande = PreDemandeFactory()
    (appointment,) = book([predemande], device, next_slots(device, 1)[0])
    with pytest.raises(RegisterError) as info:
        cancel_appointments(reference=appointment.reference, token="wrong", actor=None)
    assert info.value.message == "Ce rendez-vous n’existe pas ou a déjà été annulé."
    cancel_appointments(
        reference=appointment.reference, token=appointment.management_token, actor=None
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert not AppointmentApplication.objects.filter(is_active=True).exists()
    # The number is bookable again.
    book([predemande], device, next_slots(device, 1)[0])


def test_a_past_unhonoured_appointment_is_released_and_the_number_bookable_again(settings):
    settings.IDENTITE_RELEASE_GRACE_HOURS = 12
    device = bookable_device()
    predemande = PreDemandeFactory()
    (appointment,) = book([predemande], device, next_slots(device, 1)[0])
    honoured = Appointment.objects.create(
        reference="H",
        management_token="h",
        device=device,
        starts_at=appointment.starts_at - datetime.timedelta(days=3),
        status=AppointmentStatus.HONOURED,
    )
    assert release_stale_appointments(now=appointment.starts_at + datetime.timedelta(hours=11)) == 0
    later = appointment.starts_at + datetime.timedelta(hours=13)
    assert release_stale_appointments(now=later) == 1
    assert release_stale_appointments(now=later) == 0
    appointment.refresh_from_db()
    honoured.refresh_from_db()
    assert appointment.status == AppointmentStatus.RELEASED
    assert honoured.status == AppointmentStatus.HONOURED
    event = AuditEvent.objects.get(event="identite.appointment_released")
    assert event.data["numbers"] == [predemande.number]
    book([predemande], device, next_slots(device, 1)[0])


def test_expiry_of_predemandes_cancels_their_appointment():
    device = bookable_device()
    predemande = PreDemandeFactory()
    (appointment,) = book([predemande], device, next_slots(device, 1)[0])
    kept = PreDemandeFactory()
    later = predemande.expires_at + datetime.timedelta(seconds=1)
    kept.expires_at = later + datetime.timedelta(days=1)
    kept.save()
    assert expire_predemandes(now=later) == 1
    assert expire_predemandes(now=later) == 0
    predemande.refresh_from_db()
    appointment.refresh_from_db()
    assert predemande.status == "expired"
    assert appointment.status == AppointmentStatus.CANCELLED
