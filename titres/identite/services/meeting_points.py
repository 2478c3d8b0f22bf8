"""Town halls publish their meeting points, devices and openings."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from titres.accounts.enums import Profile
from titres.core.journal import record_event

from ..audit import IdentiteEvent
from ..models import ClosurePeriod, CollectionDevice, ExceptionalOpening, MeetingPoint, OpeningRule


def _require_mairie(user) -> None:
    if getattr(user, "profile", None) != Profile.MAIRIE:
        raise ValidationError(_("Ce compte n’est pas un compte mairie."))


@transaction.atomic
def create_meeting_point(
    *,
    mairie,
    actor,
    name: str,
    address: str,
    postal_code: str,
    city_name: str,
    insee_code: str,
    departement_code: str,
    latitude: float,
    longitude: float,
    phone: str = "",
    request=None,
) -> MeetingPoint:
    """A meeting point with one device per DR of the town-hall account
    (the number the operator gave when creating it)."""
    _require_mairie(mairie)
    point = MeetingPoint(
        mairie=mairie,
        name=name,
        address=address,
        postal_code=postal_code,
        city_name=city_name,
        insee_code=insee_code,
        departement_code=departement_code,
        latitude=latitude,
        longitude=longitude,
        phone=phone,
    )
    point.full_clean()
    point.save()
    CollectionDevice.objects.bulk_create(
        CollectionDevice(meeting_point=point, label=_("DR %(n)s") % {"n": n})
        for n in range(1, (mairie.dr_count or 1) + 1)
    )
    record_event(
        IdentiteEvent.MEETING_POINT_CREATED,
        actor=actor,
        request=request,
        target=point,
        data={"mairie_id": mairie.pk, "devices": mairie.dr_count or 1},
    )
    return point


@transaction.atomic
def set_weekly_opening(
    *,
    device: CollectionDevice,
    actor,
    weekdays: list[int],
    start_time: datetime.time,
    end_time: datetime.time,
    slot_minutes: int,
    people_per_slot: int,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
    request=None,
) -> list[OpeningRule]:
    rules = []
    for weekday in sorted(set(weekdays)):
        rule = OpeningRule(
            device=device,
            weekday=weekday,
            start_time=start_time,
            end_time=end_time,
            slot_minutes=slot_minutes,
            people_per_slot=people_per_slot,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        rule.full_clean()
        rules.append(rule)
    OpeningRule.objects.bulk_create(rules)
    record_event(
        IdentiteEvent.OPENING_SET,
        actor=actor,
        request=request,
        target=device,
        data={
            "weekdays": sorted(set(weekdays)),
            "hours": f"{start_time:%H:%M}-{end_time:%H:%M}",
            "slot_minutes": slot_minutes,
            "people_per_slot": people_per_slot,
        },
    )
    return rules


@transaction.atomic
def add_exceptional_opening(
    *,
    device: CollectionDevice,
    actor,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    slot_minutes: int,
    people_per_slot: int,
    request=None,
) -> ExceptionalOpening:
    opening = ExceptionalOpening(
        device=device,
        date=date,
        start_time=start_time,
        end_time=end_time,
        slot_minutes=slot_minutes,
        people_per_slot=people_per_slot,
    )
    opening.full_clean()
    opening.save()
    record_event(
        IdentiteEvent.EXCEPTIONAL_OPENING_ADDED,
        actor=actor,
        request=request,
        target=device,
        data={"date": date.isoformat(), "hours": f"{start_time:%H:%M}-{end_time:%H:%M}"},
    )
    return opening


@transaction.atomic
def add_closure(
    *,
    meeting_point: MeetingPoint,
    actor,
    start_date: datetime.date,
    end_date: datetime.date,
    device: CollectionDevice | None = None,
    reason: str = "",
    request=None,
) -> ClosurePeriod:
    """Existing appointments in the period stay booked: the town hall sees
    them in its agenda and calls the people (closing does not cancel)."""
    if device is not None and device.meeting_point_id != meeting_point.pk:
        raise ValidationError(_("Ce dispositif n’appartient pas à ce lieu."))
    closure = ClosurePeriod(
        meeting_point=meeting_point,
        device=device,
        start_date=start_date,
        end_date=end_date,
        reason=reason,
    )
    closure.full_clean()
    closure.save()
    record_event(
        IdentiteEvent.CLOSURE_ADDED,
        actor=actor,
        request=request,
        target=meeting_point,
        data={
            "device_id": device.pk if device else None,
            "from": start_date.isoformat(),
            "to": end_date.isoformat(),
        },
    )
    return closure
