import datetime

import pytest
from django.utils import timezone

from titres.identite.enums import AppointmentStatus
from titres.identite.models import Appointment, ClosurePeriod, ExceptionalOpening, OpeningRule
from titres.identite.slots import free_slots, published_slot

from .factories import DeviceFactory, MeetingPointFactory, open_every_day

pytestmark = pytest.mark.django_db

ZONE = timezone.get_current_timezone()
# A Monday at 07:00, Paris time; the lead time (60 min) leaves the day open.
NOW = datetime.datetime(2026, 12, 7, 7, 0, tzinfo=ZONE)
MONDAY = NOW.date()


def at(day: datetime.date, hhmm: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.fromisoformat(hhmm), tzinfo=ZONE)


@pytest.fixture
def device():
    point = MeetingPointFactory(device=False)
    device = DeviceFactory(meeting_point=point)
    OpeningRule.objects.create(
        device=device,
        weekday=0,
        start_time=datetime.time(9),
        end_time=datetime.time(10),
        slot_minutes=20,
        people_per_slot=2,
        valid_from=MONDAY - datetime.timedelta(days=30),
    )
    return device


def test_weekly_rule_is_cut_into_slots(device):
    slots = free_slots([device.pk], MONDAY, MONDAY + datetime.timedelta(days=7), now=NOW)
    assert [s.starts_at for s in slots] == [
        at(MONDAY, "09:00"),
        at(MONDAY, "09:20"),
        at(MONDAY, "09:40"),
        at(MONDAY + datetime.timedelta(days=7), "09:00"),
        at(MONDAY + datetime.timedelta(days=7), "09:20"),
        at(MONDAY + datetime.timedelta(days=7), "09:40"),
    ]
    assert {s.capacity for s in slots} == {2}
    assert slots[0].ends_at == at(MONDAY, "09:20")


def test_a_slot_shorter_than_its_length_at_closing_time_is_not_offered(device):
    OpeningRule.objects.filter(device=device).update(end_time=datetime.time(9, 50))
    slots = free_slots([device.pk], MONDAY, MONDAY, now=NOW)
    assert [s.starts_at for s in slots] == [at(MONDAY, "09:00"), at(MONDAY, "09:20")]


def test_slots_inside_the_lead_time_are_not_offered(device):
    slots = free_slots([device.pk], MONDAY, MONDAY, now=at(MONDAY, "08:10"))
    assert [s.starts_at for s in slots] == [at(MONDAY, "09:20"), at(MONDAY, "09:40")]


def test_validity_period_of_a_rule(device):
    OpeningRule.objects.filter(device=device).update(
        valid_until=MONDAY + datetime.timedelta(days=3)
    )
    slots = free_slots([device.pk], MONDAY, MONDAY + datetime.timedelta(days=14), now=NOW)
    assert {s.starts_at.date() for s in slots} == {MONDAY}


def test_closure_of_the_meeting_point_and_of_one_device(device):
    other = DeviceFactory(meeting_point=device.meeting_point)
    open_every_day(other, start="14:00", end="14:20", since=MONDAY)
    ClosurePeriod.objects.create(
        meeting_point=device.meeting_point, start_date=MONDAY, end_date=MONDAY
    )
    assert free_slots([device.pk, other.pk], MONDAY, MONDAY, now=NOW) == []
    ClosurePeriod.objects.all().delete()
    ClosurePeriod.objects.create(
        meeting_point=device.meeting_point, device=device, start_date=MONDAY, end_date=MONDAY
    )
    slots = free_slots([device.pk, other.pk], MONDAY, MONDAY, now=NOW)
    assert [(s.device_id, s.starts_at) for s in slots] == [(other.pk, at(MONDAY, "14:00"))]


def test_exceptional_opening_adds_slots_and_yields_to_a_closure(device):
    saturday = MONDAY + datetime.timedelta(days=5)
    ExceptionalOpening.objects.create(
        device=device,
        date=saturday,
        start_time=datetime.time(10),
        end_time=datetime.time(10, 30),
        slot_minutes=15,
        people_per_slot=1,
    )
    slots = free_slots([device.pk], saturday, saturday, now=NOW)
    assert [(s.starts_at, s.capacity) for s in slots] == [
        (at(saturday, "10:00"), 1),
        (at(saturday, "10:15"), 1),
    ]
    ClosurePeriod.objects.create(
        meeting_point=device.meeting_point, start_date=saturday, end_date=saturday
    )
    assert free_slots([device.pk], saturday, saturday, now=NOW) == []


def test_booked_places_reduce_a_slot_and_a_full_slot_disappears(device):
    for status in (AppointmentStatus.ACTIVE, AppointmentStatus.CANCELLED):
        Appointment.objects.create(
            reference="R1",
            management_token="t",
            meeting_point=device.meeting_point,
            device=device,
            starts_at=at(MONDAY, "09:00"),
            status=status,
        )
    slots = free_slots([device.pk], MONDAY, MONDAY, now=NOW)
    assert (slots[0].starts_at, slots[0].booked, slots[0].free) == (at(MONDAY, "09:00"), 1, 1)
    # For two people, only slots with two free places remain.
    two = free_slots([device.pk], MONDAY, MONDAY, now=NOW, people=2)
    assert [s.starts_at for s in two] == [at(MONDAY, "09:20"), at(MONDAY, "09:40")]


def test_inactive_device_publishes_nothing(device):
    device.is_active = False
    device.save()
    assert free_slots([device.pk], MONDAY, MONDAY, now=NOW) == []
    assert published_slot(device.pk, at(MONDAY, "09:00"), now=NOW) is None


def test_published_slot_only_for_a_real_start(device):
    assert published_slot(device.pk, at(MONDAY, "09:20"), now=NOW).capacity == 2
    assert published_slot(device.pk, at(MONDAY, "09:10"), now=NOW) is None
    assert (
        published_slot(device.pk, at(MONDAY + datetime.timedelta(days=1), "09:00"), now=NOW) is None
    )
