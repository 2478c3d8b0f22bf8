"""The citizen's pages: confirmation of a pré-demande (numbers, QR code,
PDF), slot search across town halls and booking."""

import datetime

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from titres.core import numbering
from titres.procedures.registry import find_procedure
from titres.procedures.selectors import demarches_owned_by

from . import emails
from .errors import RegisterError
from .models import CollectionDevice
from .procedure import CODE, rules
from .rdv_forms import BookingForm, SlotSearchForm
from .search import search_slots
from .selectors import active_appointments_for, effective_status
from .services.appointments import book_appointment
from .site import management_url
from .slots import published_slot

SLOT_FORMAT = "%Y%m%dT%H%M"


def _own_predemande_demarche(request, number):
    demarche = get_object_or_404(
        demarches_owned_by(request.user).filter(procedure_code=CODE),
        number=numbering.normalize(number),
    )
    if demarche.is_draft:
        raise Http404
    return demarche


def qr_svg(value: str) -> str:
    # A data URI is allowed by the CSP's img-src; no inline SVG markup.
    return segno.make(value, error="m").svg_data_uri(scale=4, border=2)


@require_http_methods(["GET"])
def confirmation(request, number):
    demarche = _own_predemande_demarche(request, number)
    definition = find_procedure(CODE)
    predemandes = list(demarche.predemandes.order_by("title"))
    rows = [
        {
            "predemande": p,
            "display": numbering.format_number(p.number),
            "status": effective_status(p),
            "qr": qr_svg(p.number),
            "appointments": active_appointments_for(p),
        }
        for p in predemandes
    ]
    search_url = (
        reverse("identite:rdv_search")
        + "?"
        + urlencode({"numeros": " ".join(p.number for p in predemandes)})
    )
    return render(
        request,
        "identite/confirmation.html",
        {
            "demarche": demarche,
            "rows": rows,
            "total": definition.stepper_total(demarche) if definition else 0,
            "definition": definition,
            "documents": rules.documents_to_bring(demarche.answers or {}),
            "search_url": search_url,
        },
    )


@require_http_methods(["GET"])
def recapitulatif_pdf(request, number):
    from .recapitulatif import render_recapitulatif

    demarche = _own_predemande_demarche(request, number)
    response = HttpResponse(render_recapitulatif(demarche), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="recapitulatif-predemande-{demarche.number}.pdf"'
    )
    return response


@login_not_required
@require_http_methods(["GET"])
def rdv_search(request):
    """Public: anyone may look for a slot; booking needs the numbers."""
    form = SlotSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data.get("origin"):
        data = form.cleaned_data
        results = search_slots(
            origin=data["origin"],
            radius_km=data["rayon"],
            first=data["du"],
            last=data["au"],
            people=data["personnes"],
        )
    numbers = request.GET.get("numeros", "")[:200]
    return render(
        request,
        "identite/rdv/search.html",
        {
            "form": form,
            "results": results,
            "numbers": numbers,
            "slot_format": SLOT_FORMAT,
            "origin": form.cleaned_data.get("origin")
            if form.is_bound and form.is_valid()
            else None,
        },
    )


def _slot_or_404(device_id: int, start: str):
    try:
        naive = datetime.datetime.strptime(start[:13], SLOT_FORMAT)
    except ValueError:
        raise Http404
    starts_at = timezone.make_aware(naive)
    device = get_object_or_404(
        CollectionDevice.objects.select_related("meeting_point").filter(
            is_active=True, meeting_point__is_published=True
        ),
        pk=device_id,
    )
    return device, starts_at, published_slot(device.pk, starts_at)


def _visible_existing(request, error: RegisterError) -> list[dict]:
    """Where and when a number is already booked; the management link only
    for the citizen's own pré-demande or own booking (a number typed for
    someone else reveals the date, never the means to cancel it)."""
    shown = []
    for appointment in error.appointments:
        own = (
            appointment.booked_by_id == request.user.pk
            or appointment.applications.filter(predemande__owner=request.user).exists()
        )
        shown.append(
            {
                "appointment": appointment,
                "url": (appointment.management_url or management_url(appointment)) if own else "",
            }
        )
    return shown


@require_http_methods(["GET", "POST"])
def rdv_book(request, device_id: int, start: str):
    device, starts_at, slot = _slot_or_404(device_id, start)
    initial = {
        "numeros": request.GET.get("numeros", "")[:200],
        "email": request.user.email,
    }
    form = BookingForm(request.POST or None, initial=initial)
    existing = []
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                appointments = book_appointment(
                    application_ids=form.cleaned_data["numeros"],
                    device=device,
                    starts_at=starts_at,
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    replace_existing=form.cleaned_data["remplacer"],
                    request=request,
                )
                emails.send_booking_confirmation(appointments)
        except RegisterError as error:
            form.add_error("numeros", error.message)
            if error.code == "already_booked":
                existing = _visible_existing(request, error)
        else:
            messages.success(
                request,
                _("Votre rendez-vous est réservé. Un courriel de confirmation vous a été envoyé."),
            )
            first = appointments[0]
            return redirect("identite:manage_appointment", first.reference, first.management_token)
    return render(
        request,
        "identite/rdv/book.html",
        {
            "form": form,
            "device": device,
            "point": device.meeting_point,
            "starts_at": starts_at,
            "slot": slot,
            "existing": existing,
        },
    )
