"""Pré-demande numbers in the register: creation, expiry."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from titres.core.journal import record_event

from .. import conf, numbers
from ..audit import IdentiteEvent
from ..enums import ApplicationStatus, AppointmentStatus
from ..models import AppointmentApplication, PreDemande


@transaction.atomic
def create_predemande(
    *,
    title: str,
    motif: str,
    last_name: str,
    first_names: str,
    birth_date: datetime.date,
    actor,
    owner=None,
    demarche=None,
    request=None,
) -> PreDemande:
    now = timezone.now()
    for _attempt in range(5):
        predemande = PreDemande(
            number=numbers.generate(),
            title=title,
            motif=motif,
            last_name=last_name,
            first_names=first_names,
            birth_date=birth_date,
            owner=owner,
            demarche=demarche,
            created_at=now,
            expires_at=now + datetime.timedelta(days=conf.predemande_validity_days()),
        )
        try:
            with transaction.atomic():
                predemande.save(force_insert=True)
            break
        except IntegrityError:  # pragma: no cover - 32**9 numbers
            continue
    else:  # pragma: no cover
        raise RuntimeError("could not draw a free pré-demande number")
    record_event(
        IdentiteEvent.PREDEMANDE_CREATED,
        actor=actor,
        request=request,
        target=predemande,
        data={"number": predemande.number, "title": title, "motif": motif},
    )
    return predemande


def expire_predemandes(*, now: datetime.datetime | None = None) -> int:
    """Validated numbers past their validity become `expired`; an
    appointment they still held is cancelled. One transaction per number,
    so a long run never holds many locks and a rerun has one effect."""
    now = now or timezone.now()
    expired = 0
    pks = list(
        PreDemande.objects.filter(
            status=ApplicationStatus.VALIDATED, expires_at__lte=now
        ).values_list("pk", flat=True)
    )
    for pk in pks:
        with transaction.atomic():
            predemande = (
                PreDemande.objects.select_for_update()
                .filter(pk=pk, status=ApplicationStatus.VALIDATED, expires_at__lte=now)
                .first()
            )
            if predemande is None:
                continue
            predemande.status = ApplicationStatus.EXPIRED
            predemande.save(update_fields=["status"])
            links = list(
                AppointmentApplication.objects.select_for_update()
                .filter(predemande=predemande, is_active=True)
                .select_related("appointment")
            )
            for link in links:
                link.is_active = False
                link.save(update_fields=["is_active"])
                appointment = link.appointment
                if not appointment.applications.filter(is_active=True).exists():
                    appointment.status = AppointmentStatus.CANCELLED
                    appointment.closed_at = now
                    appointment.save(update_fields=["status", "closed_at"])
            record_event(
                IdentiteEvent.PREDEMANDE_EXPIRED,
                target=predemande,
                data={"number": predemande.number, "appointments_cancelled": len(links)},
            )
            expired += 1
    return expired


@transaction.atomic
def withdraw_predemandes(*, predemandes, actor, request=None) -> int:
    """The citizen abandoned the pré-demande before it was taken at a
    counter: its numbers stop being bookable (`expired`) and the
    appointments they held are cancelled."""
    rows = list(
        PreDemande.objects.select_for_update().filter(pk__in=predemandes).order_by("number")
    )
    now = timezone.now()
    for predemande in rows:
        predemande.status = ApplicationStatus.EXPIRED
        predemande.save(update_fields=["status"])
        for link in AppointmentApplication.objects.select_related("appointment").filter(
            predemande=predemande, is_active=True
        ):
            link.is_active = False
            link.save(update_fields=["is_active"])
            appointment = link.appointment
            if not appointment.applications.filter(is_active=True).exists():
                appointment.status = AppointmentStatus.CANCELLED
                appointment.closed_at = now
                appointment.save(update_fields=["status", "closed_at"])
    if rows:
        record_event(
            IdentiteEvent.PREDEMANDES_WITHDRAWN,
            actor=actor,
            request=request,
            target=rows[0],
            data={"numbers": [p.number for p in rows]},
        )
    return len(rows)
