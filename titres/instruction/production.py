"""Production and delivery of titles.

`TitleFactory` is the adapter to the title factory ("fabrication"): the back
office calls `submit_order(order)`; the factory reports back by calling
`mark_produced`, `mark_shipped` and `mark_delivered` (from a webhook or a
poller for a real factory), or `mark_failed` when the title could not be
made (the file goes back to VALIDEE through the engine's `echec_production`
and can be transmitted again). `LocalTitleFactory` plays the factory with
background tasks (django_tasks): it allots a title number, marks the title
produced, then shipped with a tracking number, then delivered; an error
while producing fails the order.

Settings: INSTRUCTION_TITLE_FACTORY (dotted path of a TitleFactory
subclass, default the local one), INSTRUCTION_LOCAL_FACTORY_DELAY (seconds
between the local factory's steps, default 0).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from titres.core.journal import record_event
from titres.core.notifications import notify_email
from titres.instruction.audit import InstructionEvent
from titres.procedures.enums import Role, Status
from titres.procedures.locks import lock_demarche
from titres.procedures.models import Demarche
from titres.procedures.notifications import demarche_url, filer_contact
from titres.procedures.registry import find_procedure
from titres.procedures.workflow import apply_transition

from .enums import ProductionStatus
from .models import ProductionOrder

logger = logging.getLogger(__name__)


class TitleFactory:
    """Adapter interface to a title factory."""

    code = "abstract"

    def submit_order(self, order: ProductionOrder) -> None:
        raise NotImplementedError

    def cancel_order(self, order: ProductionOrder) -> None:  # pragma: no cover - optional
        raise NotImplementedError


class LocalTitleFactory(TitleFactory):
    code = "local"

    def submit_order(self, order: ProductionOrder) -> None:
        _enqueue(local_factory_produce, order.pk)


def get_factory() -> TitleFactory:
    path = getattr(
        settings, "INSTRUCTION_TITLE_FACTORY", "titres.instruction.production.LocalTitleFactory"
    )
    return import_string(path)()


def _enqueue(task_function, order_id: int) -> None:
    delay = int(getattr(settings, "INSTRUCTION_LOCAL_FACTORY_DELAY", 0) or 0)

    def enqueue():
        if delay:
            task_function.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
                order_id
            )
        else:
            task_function.enqueue(order_id)

    transaction.on_commit(enqueue)


def _notify(order: ProductionOrder, step: str) -> None:
    demarche = order.demarche
    email, _phone = filer_contact(demarche)
    if not email:
        return
    notify_email(
        template=f"instruction/emails/production_{step}",
        to=email,
        context={
            "number": demarche.display_number,
            "title": demarche.title,
            "title_number": order.title_number,
            "tracking_number": order.tracking_number,
            # The client of a detached file has no account to open it with.
            "url": demarche_url(demarche) if demarche.owner_id else "",
        },
    )


@transaction.atomic
def create_order(*, demarche: Demarche, actor, change=None) -> ProductionOrder:
    """Called in the transmission's transaction: the order goes to the
    factory after commit."""
    factory = get_factory()
    order = ProductionOrder.objects.filter(
        demarche=demarche, status=ProductionStatus.ERREUR
    ).first()
    if order is None:
        order = ProductionOrder.objects.create(
            demarche=demarche, factory=factory.code, ordered_by=actor
        )
    else:
        # Transmitted again after a failure: the same order starts afresh.
        order.factory, order.ordered_by, order.ordered_at = factory.code, actor, timezone.now()
        order.status, order.error, order.title_number = ProductionStatus.COMMANDE, "", ""
        order.external_reference, order.tracking_number = "", ""
        order.produced_at = order.shipped_at = order.delivered_at = None
        order.save()
    record_event(
        InstructionEvent.PRODUCTION_ORDERED,
        actor=actor,
        target=order,
        data={"demarche": demarche.number, "fabricant": factory.code},
    )
    _notify(order, "commande")
    factory.submit_order(order)
    return order


def _lock(order_id: int) -> ProductionOrder:
    """The lock order (titres/procedures/locks.py): the démarche, then its
    order; the journal entries written next take no lock. (The order's row
    used to be locked with the démarche and its owner joined, then the
    journal head, then the démarche again: the opposite of a message, which
    locks the démarche and then wrote the journal.)"""
    demarche_id = ProductionOrder.objects.values_list("demarche_id", flat=True).get(pk=order_id)
    lock_demarche(demarche_id)
    return (
        ProductionOrder.objects.select_for_update(of=("self",))
        .select_related("demarche", "demarche__owner")
        .get(pk=order_id)
    )


def _new_title_number(demarche: Demarche) -> str:
    """The procedure's own numbering (`new_title_number`, e.g. the licence
    card's), else a generic one."""
    definition = find_procedure(demarche.procedure_code)
    if definition is not None and definition.new_title_number is not None:
        return definition.new_title_number(demarche)
    return f"T{timezone.localdate():%y}{secrets.token_hex(4).upper()}"


def _title_produced(order: ProductionOrder) -> None:
    """Tell the procedure the title exists (`title_produced`: e.g. the
    licence records the new card in the SNPC)."""
    definition = find_procedure(order.demarche.procedure_code)
    if definition is not None and definition.title_produced is not None:
        definition.title_produced(order.demarche, title_number=order.title_number)


@transaction.atomic
def mark_produced(*, order_id: int, title_number: str = "") -> ProductionOrder:
    order = _lock(order_id)
    if order.status != ProductionStatus.COMMANDE:
        return order
    order.title_number = title_number or _new_title_number(order.demarche)
    order.status = ProductionStatus.FABRIQUE
    order.produced_at = timezone.now()
    order.save(update_fields=["title_number", "status", "produced_at"])
    record_event(
        InstructionEvent.TITRE_PRODUCED,
        target=order,
        data={"demarche": order.demarche.number, "titre": order.title_number},
    )
    _title_produced(order)
    _notify(order, "fabrique")
    return order


@transaction.atomic
def mark_shipped(*, order_id: int, tracking_number: str = "") -> ProductionOrder:
    order = _lock(order_id)
    if order.status != ProductionStatus.FABRIQUE:
        return order
    order.tracking_number = tracking_number or f"LS{secrets.randbelow(10**9):09d}FR"
    order.status = ProductionStatus.EXPEDIE
    order.shipped_at = timezone.now()
    order.save(update_fields=["tracking_number", "status", "shipped_at"])
    record_event(
        InstructionEvent.TITRE_SHIPPED,
        target=order,
        data={"demarche": order.demarche.number, "suivi": order.tracking_number},
    )
    _notify(order, "expedie")
    return order


@transaction.atomic
def mark_delivered(*, order_id: int) -> ProductionOrder:
    order = _lock(order_id)
    if order.status != ProductionStatus.EXPEDIE:
        return order
    order.status = ProductionStatus.LIVRE
    order.delivered_at = timezone.now()
    order.save(update_fields=["status", "delivered_at"])
    record_event(
        InstructionEvent.TITRE_DELIVERED, target=order, data={"demarche": order.demarche.number}
    )
    definition = find_procedure(order.demarche.procedure_code)
    on_delivered = (definition.extra or {}).get("on_title_delivered") if definition else None
    if on_delivered is not None:
        # The title is delivered to a counter (ID card, passport): the
        # procedure tells the citizen, and its handover ends the file.
        on_delivered(order.demarche)
        return order
    if order.demarche.status == Status.EN_PRODUCTION:
        apply_transition(
            demarche=order.demarche,
            event="terminer",
            actor=None,
            role=Role.SYSTEME,
            data={"titre": order.title_number},
        )
    _notify(order, "livre")
    return order


@transaction.atomic
def mark_failed(*, order_id: int, reason: str) -> ProductionOrder:
    """The factory could not make the title: the order is in error and the
    file goes back to VALIDEE (engine event `echec_production`, role
    système, the reason as comment), where an agent may transmit it again."""
    order = _lock(order_id)
    if order.status not in {ProductionStatus.COMMANDE, ProductionStatus.FABRIQUE}:
        return order
    reason = (reason or "").strip()[:200] or _("Erreur de fabrication")
    order.status = ProductionStatus.ERREUR
    order.error = reason
    order.save(update_fields=["status", "error"])
    record_event(
        InstructionEvent.PRODUCTION_FAILED,
        target=order,
        data={"demarche": order.demarche.number, "erreur": reason},
    )
    if order.demarche.status == Status.EN_PRODUCTION:
        apply_transition(
            demarche=order.demarche,
            event="echec_production",
            actor=None,
            role=Role.SYSTEME,
            comment=reason,
            data={"fabricant": order.factory},
        )
    return order


# --- The local factory's background tasks ----------------------------------------


@task(queue_name="production")
def local_factory_produce(order_id: int) -> None:
    try:
        mark_produced(order_id=order_id)
    except DatabaseError:
        # A lost connection or a deadlock says nothing about the title:
        # raised so the worker runs the step again (it is idempotent).
        raise
    except Exception:
        # The local factory's failure path: what a real factory reports
        # when it cannot make the title.
        logger.exception("fabrication locale en échec (ordre %s)", order_id)
        mark_failed(
            order_id=order_id, reason=_("Le titre n’a pas pu être fabriqué (erreur technique).")
        )
        return
    _enqueue(local_factory_ship, order_id)


@task(queue_name="production")
def local_factory_ship(order_id: int) -> None:
    mark_shipped(order_id=order_id)
    _enqueue(local_factory_deliver, order_id)


@task(queue_name="production")
def local_factory_deliver(order_id: int) -> None:
    mark_delivered(order_id=order_id)
