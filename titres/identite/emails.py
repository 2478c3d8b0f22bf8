"""E-mails of the appointment register: confirmation (with .ics) and the
reminder two days before. Sent after commit by titres.core.notifications."""

import base64
import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from titres.core.notifications import notify_email

from . import ics
from .enums import AppointmentStatus
from .models import Appointment
from .site import management_url


def _context(appointments) -> dict:
    first = appointments[0]
    point = first.meeting_point
    local = timezone.localtime(first.starts_at)
    return {
        "date": date_format(local, "l j F Y"),
        "time": local.strftime("%H:%M"),
        "place": point.name if point else first.external_meeting_point,
        "address": f"{point.address}, {point.postal_code} {point.city_name}" if point else "",
        "numbers": [
            link.predemande.number
            for appointment in appointments
            for link in appointment.applications.select_related("predemande")
        ],
        "management_url": management_url(first),
    }


def send_booking_confirmation(appointments) -> None:
    """Queue the confirmation of a booking (call inside the booking's
    transaction: it leaves after commit)."""
    first = appointments[0]
    if not first.email:
        return
    context = _context(appointments)
    host = urlsplit(settings.SITE_URL).hostname or "titres"
    event = ics.appointment_event(
        first,
        url=context["management_url"],
        description="Numéros de pré-demande : " + ", ".join(context["numbers"]),
        host=host,
    )
    notify_email(
        template="identite/emails/appointment_booked",
        to=first.email,
        context=context,
        attachments=[("rendez-vous.ics", base64.b64encode(event).decode(), "text/calendar")],
    )


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind every active appointment taking place the day after tomorrow
    (local date), once: `reminder_sent_at` is set in the same transaction as
    the e-mail is queued, so a rerun sends nothing twice."""
    now = now or timezone.now()
    day = timezone.localtime(now).date() + datetime.timedelta(days=2)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = start + datetime.timedelta(days=1)
    sent = 0
    pks = list(
        Appointment.objects.filter(
            status=AppointmentStatus.ACTIVE,
            reminder_sent_at__isnull=True,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    for pk in pks:
        with transaction.atomic():
            appointment = (
                Appointment.objects.select_for_update(of=("self",))
                .filter(pk=pk, status=AppointmentStatus.ACTIVE, reminder_sent_at__isnull=True)
                .select_related("meeting_point")
                .first()
            )
            if appointment is None:
                continue
            appointment.reminder_sent_at = now
            appointment.save(update_fields=["reminder_sent_at"])
            notify_email(
                template="identite/emails/appointment_reminder",
                to=appointment.email,
                context=_context([appointment]),
            )
            sent += 1
    return sent
