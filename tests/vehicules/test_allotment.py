import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from titres.vehicules.allotment import allot_plate
from titres.vehicules.models import PlateSequence

from .factories import VehicleFactory

pytestmark = pytest.mark.django_db


def test_sequence_starts_at_aa_001_aa_and_advances():
    assert [allot_plate() for _ in range(3)] == ["AA001AA", "AA002AA", "AA003AA"]
    assert PlateSequence.objects.get().next_index == 3


def test_numbers_already_in_the_registry_are_skipped():
    VehicleFactory(plate="AA001AA")
    VehicleFactory(plate="AA002AA")
    assert allot_plate() == "AA003AA"


def test_forbidden_blocks_are_skipped():
    from titres.vehicules import plates

    PlateSequence.objects.create(pk=1, next_index=plates.index_of("AA999SR"))
    assert allot_plate() == "AA999SR"
    assert allot_plate() == "AA001ST"  # the whole SS block was skipped


def test_a_rolled_back_draw_gives_its_number_back():
    from django.db import transaction

    with contextlib.suppress(RuntimeError), transaction.atomic():
        allot_plate()
        raise RuntimeError
    assert allot_plate() == "AA001AA"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrence réelle : nécessite PostgreSQL (DATABASE_URL=postgres://...)",
)
def test_concurrent_draws_never_give_the_same_number():
    threads, draws = 12, 240
    barrier = threading.Barrier(threads)

    def draw(_):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            return allot_plate()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(draw, range(draws)))
    assert len(results) == draws
    assert len(set(results)) == draws
    assert PlateSequence.objects.get().next_index == draws
