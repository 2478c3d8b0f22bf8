"""Slots computed from what a device publishes, never stored.

A slot is (device, start): the weekly rules valid that day plus the
exceptional openings of that date, cut into `slot_minutes`, minus the
closures, minus what is already booked. Storing nothing means a town hall
that changes its hours changes its offer at once; the booking service
recomputes the one slot it books under a row lock on the device."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from . import conf
from .enums import AppointmentStatus
from .models import Appointment, ClosurePeriod, CollectionDevice, ExceptionalOpening, OpeningRule


@dataclass(frozen=True)
class Slot:
    device_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


@dataclass
class _DevicePlan:
    device_id: int
    meeting_point_id: int
    rules: list
    exceptional: dict  # date -> [ExceptionalOpening]
    closures: list  # [(start_date, end_date)]

    def is_closed(self, day: datetime.date) -> bool:
        return any(start <= day <= end for start, end in self.closures)

    def shapes(self, day: datetime.date) -> list:
        shapes = [
            rule
            for rule in self.rules
            if rule.weekday == day.weekday()
            and rule.valid_from <= day
            and (rule.valid_until is None or day <= rule.valid_until)
        ]
        return shapes + self.exceptional.get(day, [])


def _plans(device_ids: list[int], first: datetime.date, last: datetime.date) -> list[_DevicePlan]:
    devices = dict(
        CollectionDevice.objects.filter(pk__in=device_ids, is_active=True).values_list(
            "pk", "meeting_point_id"
        )
    )
    plans = {
        pk: _DevicePlan(pk, meeting_point_id, [], defaultdict(list), [])
        for pk, meeting_point_id in devices.items()
    }
    rules = OpeningRule.objects.filter(device_id__in=devices, valid_from__lte=last).exclude(
        valid_until__lt=first
    )
    for rule in rules:
        plans[rule.device_id].rules.append(rule)
    for opening in ExceptionalOpening.objects.filter(
        device_id__in=devices, date__range=(first, last)
    ):
        plans[opening.device_id].exceptional[opening.date].append(opening)
    by_point = defaultdict(list)
    for plan in plans.values():
        by_point[plan.meeting_point_id].append(plan)
    closures = ClosurePeriod.objects.filter(
        meeting_point_id__in=by_point, start_date__lte=last, end_date__gte=first
    ).values_list("meeting_point_id", "device_id", "start_date", "end_date")
    for meeting_point_id, device_id, start, end in closures:
        for plan in by_point[meeting_point_id]:
            if device_id is None or device_id == plan.device_id:
                plan.closures.append((start, end))
    return [plans[pk] for pk in device_ids if pk in plans]


def _booked(device_ids, first: datetime.date, last: datetime.date) -> dict:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    rows = (
        Appointment.objects.filter(
            device_id__in=device_ids,
            status=AppointmentStatus.ACTIVE,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .values("device_id", "starts_at")
        .annotate(n=Count("pk"))
    )
    return {(row["device_id"], row["starts_at"]): row["n"] for row in rows}


def _day_slots(plan: _DevicePlan, day: datetime.date, booked: dict, not_before) -> list[Slot]:
    if plan.is_closed(day):
        return []
    zone = timezone.get_current_timezone()
    capacity_at: dict[datetime.datetime, tuple[datetime.datetime, int]] = {}
    for shape in plan.shapes(day):
        step = datetime.timedelta(minutes=shape.slot_minutes)
        start = datetime.datetime.combine(day, shape.start_time, tzinfo=zone)
        close = datetime.datetime.combine(day, shape.end_time, tzinfo=zone)
        while start + step <= close:
            # Overlapping openings of one device do not add up: a device
            # serves one slot at a time, the widest shape wins.
            previous = capacity_at.get(start)
            if previous is None or previous[1] < shape.people_per_slot:
                capacity_at[start] = (start + step, shape.people_per_slot)
            start += step
    slots = []
    for start in sorted(capacity_at):
        if start < not_before:
            continue
        end, capacity = capacity_at[start]
        slots.append(
            Slot(plan.device_id, start, end, capacity, booked.get((plan.device_id, start), 0))
        )
    return slots


def iter_slots(
    device_ids: Iterable[int],
    first: datetime.date,
    last: datetime.date,
    *,
    now: datetime.datetime | None = None,
    people: int = 1,
) -> dict[int, Iterator[Slot]]:
    """Per device, a lazy iterator over its slots with at least `people`
    free places between `first` and `last` (inclusive), in order. Lazy, so
    a search that wants the first free slot does not build sixty days."""
    device_ids = list(device_ids)
    now = now or timezone.now()
    not_before = now + datetime.timedelta(minutes=conf.booking_min_lead_minutes())
    plans = _plans(device_ids, first, last)
    booked = _booked(device_ids, first, last)

    def generate(plan):
        day = first
        while day <= last:
            for slot in _day_slots(plan, day, booked, not_before):
                if slot.free >= people:
                    yield slot
            day += datetime.timedelta(days=1)

    return {plan.device_id: generate(plan) for plan in plans}


def free_slots(device_ids, first, last, *, now=None, people: int = 1) -> list[Slot]:
    """Every free slot of the devices, ordered by start then device."""
    slots = [
        slot
        for iterator in iter_slots(device_ids, first, last, now=now, people=people).values()
        for slot in iterator
    ]
    return sorted(slots, key=lambda slot: (slot.starts_at, slot.device_id))


def published_slot(device_id: int, starts_at: datetime.datetime, *, now=None) -> Slot | None:
    """The slot of a device starting at `starts_at` if the device publishes
    it (whatever its bookings), else None."""
    now = now or timezone.now()
    day = timezone.localtime(starts_at).date()
    not_before = now + datetime.timedelta(minutes=conf.booking_min_lead_minutes())
    plans = _plans([device_id], day, day)
    if not plans:
        return None
    for slot in _day_slots(plans[0], day, {}, not_before):
        if slot.starts_at == starts_at:
            return slot
    return None
