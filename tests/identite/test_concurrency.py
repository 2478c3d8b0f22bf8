"""Concurrent bookings: never two active appointments for one number,
never more people than a slot holds.

Needs PostgreSQL (SQLite serialises writers, so it proves nothing):
DATABASE_URL=postgres://... pytest tests/identite/test_concurrency.py"""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.db.models import Count

from titres.identite.enums import AppointmentStatus
from titres.identite.errors import RegisterError
from titres.identite.models import Appointment, AppointmentApplication
from titres.identite.services.appointments import book_appointment

from .factories import PreDemandeFactory
from .helpers import bookable_device, next_slots

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrence réelle : nécessite PostgreSQL (DATABASE_URL=postgres://...)",
    ),
]
THREADS = 12


def race(jobs):
    barrier = threading.Barrier(THREADS)

    def run(job):
        numbers, device, starts_at, replace = job
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            book_appointment(
                application_ids=numbers,
                device=device,
                starts_at=starts_at,
                actor=None,
                replace_existing=replace,
            )
            return True
        except RegisterError as error:
            return error.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, jobs))


def test_one_number_booked_at_many_town_halls_at_once_wins_once():
    devices = [bookable_device() for _ in range(THREADS)]
    predemande = PreDemandeFactory()
    jobs = [([predemande.number], d, next_slots(d, 1)[0], False) for d in devices]
    results = race(jobs)
    assert results.count(True) == 1
    assert set(results) - {True} == {"already_booked"}
    assert AppointmentApplication.objects.filter(is_active=True).count() == 1


def test_cancel_and_rebook_races_keep_exactly_one_active():
    devices = [bookable_device() for _ in range(THREADS)]
    predemande = PreDemandeFactory()
    book_appointment(
        application_ids=[predemande.number],
        device=devices[0],
        starts_at=next_slots(devices[0], 1)[0],
        actor=None,
    )
    jobs = [([predemande.number], d, next_slots(d, 1)[0], True) for d in devices[1:]]
    race(jobs + [jobs[0]])
    assert AppointmentApplication.objects.filter(is_active=True).count() == 1
    assert Appointment.objects.filter(status=AppointmentStatus.ACTIVE).count() == 1


def test_a_slot_never_holds_more_people_than_its_capacity():
    device = bookable_device()
    device.opening_rules.update(people_per_slot=3)
    (slot,) = next_slots(device, 1)
    numbers = [PreDemandeFactory().number for _ in range(THREADS)]
    results = race([([n], device, slot, False) for n in numbers])
    assert results.count(True) == 3
    assert set(results) - {True} == {"slot_full"}
    counts = (
        Appointment.objects.filter(status=AppointmentStatus.ACTIVE)
        .values("device", "starts_at")
        .annotate(n=Count("pk"))
    )
    assert [row["n"] for row in counts] == [3]
