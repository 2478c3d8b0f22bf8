"""The factory's reports and the citizens' messages race on the same files
without deadlock: both follow the lock order of titres/procedures/locks.py.

Before, the delivery report locked the order, then the journal head, then
the démarche, while a message locked the démarche, then the journal head:
PostgreSQL broke the cycle by killing one ("deadlock detected").

Needs PostgreSQL (SQLite serialises writers, so it proves nothing):
DATABASE_URL=postgres://... pytest tests/instruction/test_lock_order.py"""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from titres.core.journal import seal_pending, verify_chain
from titres.core.models import AuditEvent
from titres.instruction.enums import ProductionStatus
from titres.instruction.models import ProductionOrder
from titres.instruction.production import mark_delivered
from titres.procedures.enums import Role, Status
from titres.procedures.models import Message
from titres.procedures.services import post_message

from .factories import PermisDemarcheFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrence réelle : nécessite PostgreSQL (DATABASE_URL=postgres://...)",
    ),
]
FILES = 6
MESSAGES_PER_FILE = 3


def test_delivery_reports_and_messages_on_the_same_files_do_not_deadlock(authority):
    files = [PermisDemarcheFactory(in_production=True, authority=authority) for _ in range(FILES)]
    orders = [
        ProductionOrder.objects.create(
            demarche=demarche, factory="local", status=ProductionStatus.EXPEDIE
        )
        for demarche in files
    ]
    jobs = [("livraison", order) for order in orders] + [
        ("message", demarche) for demarche in files for _ in range(MESSAGES_PER_FILE)
    ]
    barrier = threading.Barrier(len(jobs))

    def run(job):
        kind, target = job
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=10)
            if kind == "livraison":
                mark_delivered(order_id=target.pk)
            else:
                post_message(
                    demarche=target, author=target.owner, role=Role.USAGER, body="Où en est-on ?"
                )
            return None
        except Exception as error:  # noqa: BLE001 - the test reports every failure
            return repr(error)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        errors = [error for error in pool.map(run, jobs) if error]

    assert errors == []
    assert set(ProductionOrder.objects.values_list("status", flat=True)) == {ProductionStatus.LIVRE}
    for demarche in files:
        demarche.refresh_from_db()
        assert demarche.status == Status.TERMINEE
    assert Message.objects.count() == FILES * MESSAGES_PER_FILE
    assert AuditEvent.objects.filter(event="procedures.message_posted").count() == 18
    seal_pending()
    result = verify_chain()
    assert result.ok and result.pending == 0
