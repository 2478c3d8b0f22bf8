"""Many threads racing on the same stamps: exactly one winner each.

Needs PostgreSQL (SQLite serialises writers, so it proves nothing):
DATABASE_URL=postgres://... pytest tests/paiements/test_concurrency.py"""

import contextlib
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from titres.paiements import services
from titres.paiements.enums import LedgerKind, StampState
from titres.paiements.models import LedgerEntry, Stamp
from titres.paiements.reconciliation import reconcile

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrence réelle : nécessite PostgreSQL (DATABASE_URL=postgres://...)",
    ),
]
STAMPS = 10
ATTEMPTS_PER_STAMP = 8
THREADS = 16


def race(action, numbers):
    barrier = threading.Barrier(THREADS)
    jobs = [(number, attempt) for number in numbers for attempt in range(ATTEMPTS_PER_STAMP)]

    def run(job):
        number, attempt = job
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            action(number, f"demarche:{number[-4:]}-{attempt}")
            return number, True
        except services.StampError:
            return number, False
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(run, jobs))
    return Counter(number for number, won in results if won)


@pytest.fixture
def stamps():
    return [
        services.sell_stamp_at_counter(
            purpose="permis_perte_vol", email="a@b.fr", actor=None
        ).number
        for _ in range(STAMPS)
    ]


def test_reserve_race_has_one_winner_per_stamp(stamps):
    wins = race(
        lambda number, holder: services.reserve_stamp(
            number=number, purpose="permis_perte_vol", holder=holder, actor=None
        ),
        stamps,
    )
    assert wins == Counter(dict.fromkeys(stamps, 1))
    assert Stamp.objects.filter(state=StampState.RESERVE).count() == STAMPS


def test_consume_race_has_one_winner_per_stamp(stamps):
    wins = race(
        lambda number, holder: services.consume_stamp(
            number=number, purpose="permis_perte_vol", holder=holder, actor=None
        ),
        stamps,
    )
    assert wins == Counter(dict.fromkeys(stamps, 1))
    assert LedgerEntry.objects.filter(kind=LedgerKind.CONSOMMATION).count() == STAMPS
    assert reconcile().ok


def test_reserved_stamps_consumed_by_racing_holders(stamps):
    for number in stamps:
        services.reserve_stamp(
            number=number,
            purpose="permis_perte_vol",
            holder=f"demarche:{number[-4:]}-0",
            actor=None,
        )
    wins = race(
        lambda number, holder: services.consume_stamp(number=number, holder=holder, actor=None),
        stamps,
    )
    # only the holder of the reservation may consume it, once
    assert wins == Counter(dict.fromkeys(stamps, 1))
    assert set(Stamp.objects.values_list("holder", flat=True)) == {
        f"demarche:{n[-4:]}-0" for n in stamps
    }


def test_refund_races_consumption(stamps):
    """Refund and consumption of the same stamp: one or the other, never both."""
    barrier = threading.Barrier(2 * STAMPS)

    def consume(number):
        try:
            barrier.wait(timeout=5)
            services.consume_stamp(
                number=number, purpose="permis_perte_vol", holder="demarche:x", actor=None
            )
            return "consomme"
        except services.StampError:
            return None
        finally:
            connections.close_all()

    def refund(number):
        try:
            barrier.wait(timeout=5)
            services.refund_stamp(number=number, email="a@b.fr", actor=None)
            return "rembourse"
        except services.StampError:
            return None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2 * STAMPS) as pool:
        futures = [pool.submit(f, n) for n in stamps for f in (consume, refund)]
        outcomes = [f.result() for f in futures]
    assert outcomes.count(None) == STAMPS
    assert reconcile().ok
