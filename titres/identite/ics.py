"""An iCalendar (RFC 5545) event for an appointment, attached to the
confirmation e-mail so the person can add it to any calendar."""

import datetime

from django.utils import timezone

PRODID = "-//Titres//Rendez-vous mairie//FR"


def _escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF + space (§3.1)."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def appointment_event(appointment, *, url: str, description: str, host: str = "titres") -> bytes:
    end = appointment.ends_at or appointment.starts_at + datetime.timedelta(minutes=20)
    point = appointment.meeting_point
    location = (
        f"{point.name}, {point.address}, {point.postal_code} {point.city_name}"
        if point
        else appointment.external_meeting_point
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{appointment.reference}-{appointment.pk}@{host}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(appointment.starts_at)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{_escape('Rendez-vous en mairie : carte d’identité / passeport')}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()
