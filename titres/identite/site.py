"""Absolute links of the portal's own appointments."""

from django.urls import reverse

from titres.core.notifications import site_url


def management_url(appointment) -> str:
    """The citizen's page to see, cancel or move a booking. The token makes
    it work without signing in (it is in the confirmation e-mail)."""
    return site_url(
        reverse(
            "identite:manage_appointment",
            args=[appointment.reference, appointment.management_token],
        )
    )
