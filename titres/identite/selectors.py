"""Reads of the register reused by the API, the portal and the counter."""

import re

from django.utils import timezone

from .enums import UNKNOWN_STATUS, ApplicationStatus
from .models import AppointmentApplication, IssuedTitle, PreDemande


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


# Issued titles (titles.IssuedTitle), for the partner API's verification.
_TITLE_NUMBER = re.compile(r"^(?:[A-Z0-9]{9}|[0-9]{12})$")


def normalize_title_number(value: str) -> str:
    """As printed or typed: spaces and case do not matter."""
    return re.sub(r"\s+", "", value or "").upper()[:40]


def title_number_is_well_formed(number: str) -> bool:
    """9 letters or digits (ID card since 2021, passport) or 12 digits
    (the older ID card)."""
    return bool(_TITLE_NUMBER.match(number))


def issued_title(number: str, *, kind: str | None = None) -> IssuedTitle | None:
    titles = IssuedTitle.objects.filter(number=normalize_title_number(number))
    if kind:
        titles = titles.filter(kind=kind)
    return titles.first()
