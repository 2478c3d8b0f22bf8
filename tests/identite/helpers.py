import datetime

from django.utils import timezone

from titres.identite.slots import free_slots

from .factories import MeetingPointFactory, open_every_day


def bookable_device(**point_kwargs):
    """A device of a new meeting point open every day 9:00–12:00, one
    person per 20-minute slot."""
    point = MeetingPointFactory(**point_kwargs)
    device = point.devices.get()
    open_every_day(device)
    return device


def next_slots(device, count=2, people=1):
    today = timezone.localdate()
    slots = free_slots([device.pk], today, today + datetime.timedelta(days=7), people=people)
    return [slot.starts_at for slot in slots[:count]]
