"""Citizen pages of the appointment register (slice 1: the management
link of a booking)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .enums import AppointmentStatus
from .errors import RegisterError
from .models import Appointment
from .services.appointments import cancel_appointments


@login_not_required
@require_http_methods(["GET", "POST"])
def manage_appointment(request, reference: str, token: str):
    """The link of the confirmation e-mail: see or cancel a booking. The
    token is the credential (no account needed: a parent may book for a
    relative); a wrong token and a missing booking are the same 404."""
    appointments = list(
        Appointment.objects.filter(reference=reference[:12], management_token=token[:64])
        .select_related("meeting_point")
        .prefetch_related("applications__predemande")
        .order_by("pk")
    )
    if not appointments:
        raise Http404
    if request.method == "POST":
        try:
            cancel_appointments(
                reference=reference, token=token, actor=request.user, request=request
            )
        except RegisterError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Votre rendez-vous est annulé."))
        return redirect(request.path)
    first = appointments[0]
    return render(
        request,
        "identite/manage_appointment.html",
        {
            "appointment": first,
            "appointments": appointments,
            "is_active": first.status == AppointmentStatus.ACTIVE,
        },
    )
