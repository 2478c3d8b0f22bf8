"""Finding 1 of issue 16 (factory): a step of the local factory run again
(its worker died after the commit) has one effect, and a database error
while producing is retried instead of failing the title."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from titres.core.models import AuditEvent
from titres.instruction import production
from titres.instruction.enums import ProductionStatus
from titres.instruction.models import ProductionOrder
from titres.procedures.enums import Status

from .factories import PermisDemarcheFactory

pytestmark = pytest.mark.django_db


def _transmit(agent_client, demarche, capture):
    with capture(execute=True):
        agent_client.post(reverse("instruction:action", args=[demarche.number, "transmettre"]))
    return ProductionOrder.objects.get(demarche=demarche)


def test_every_step_run_again_has_one_effect(
    agent_client, authority, mailoutbox, django_capture_on_commit_callbacks
):
    demarche = PermisDemarcheFactory(validated=True, authority=authority)
    order = _transmit(agent_client, demarche, django_capture_on_commit_callbacks)
    assert order.status == ProductionStatus.LIVRE
    events = AuditEvent.objects.count()
    mails = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        for step in (
            production.local_factory_produce,
            production.local_factory_ship,
            production.local_factory_deliver,
        ):
            step.call(order.pk)
    refreshed = ProductionOrder.objects.get(pk=order.pk)
    assert (refreshed.title_number, refreshed.tracking_number) == (
        order.title_number,
        order.tracking_number,
    )
    assert AuditEvent.objects.count() == events
    assert len(mailoutbox) == mails
    assert demarche.history.filter(event="terminer").count() == 1


def test_a_database_error_while_producing_is_retried_not_failed(
    agent_client, authority, monkeypatch, django_capture_on_commit_callbacks
):
    demarche = PermisDemarcheFactory(validated=True, authority=authority)
    real = production.mark_produced
    errors = iter([OperationalError("server closed the connection unexpectedly")])

    def flaky(**kwargs):
        error = next(errors, None)
        if error:
            raise error
        return real(**kwargs)

    monkeypatch.setattr(production, "mark_produced", flaky)
    order = _transmit(agent_client, demarche, django_capture_on_commit_callbacks)
    # The task failed (the worker will retry it): the order is untouched.
    assert order.status == ProductionStatus.COMMANDE
    assert not order.error
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_PRODUCTION
    with django_capture_on_commit_callbacks(execute=True):
        production.local_factory_produce.call(order.pk)
    order.refresh_from_db()
    assert order.status == ProductionStatus.LIVRE
