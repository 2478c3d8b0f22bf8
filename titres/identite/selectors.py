"""Reads of the register reused by the API, the portal and the counter."""

from django.utils import timezone

from .enums import UNKNOWN_STATUS, ApplicationStatus
from .models import AppointmentApplication, PreDemande


def effective_status(predemande: PreDemande, now=None) -> str:
    now = now or timezone.now()
    if predemande.status == ApplicationStatus.VALIDATED and predemande.expires_at <= now:
        return ApplicationStatus.EXPIRED
    return predemande.status


def register_status(numbers: list[str], *, now=None) -> dict[str, dict]:
    """Per canonical number: its status and its active appointments. Two
    queries whatever the count."""
    now = now or timezone.now()
    found = {p.number: p for p in PreDemande.objects.filter(number__in=numbers)}
    appointments: dict[int, list] = {}
    for link in (
        AppointmentApplication.objects.filter(predemande__in=found.values(), is_active=True)
        .select_related("appointment__meeting_point")
        .order_by("appointment__starts_at")
    ):
        appointments.setdefault(link.predemande_id, []).append(link.appointment)
    result = {}
    for number in numbers:
        predemande = found.get(number)
        if predemande is None:
            result[number] = {"status": UNKNOWN_STATUS, "appointments": []}
            continue
        result[number] = {
            "status": str(effective_status(predemande, now)),
            "appointments": appointments.get(predemande.pk, []),
        }
    return result


def active_appointments_for(predemande: PreDemande):
    return [
        link.appointment
        for link in AppointmentApplication.objects.filter(
            predemande=predemande, is_active=True
        ).select_related("appointment__meeting_point")
    ]
