"""The town hall's space: agenda per DR, the counter (lookup by number or
QR scan, "dossier recueilli") and the titles to hand over. Only accounts
with the town-hall profile; each sees its own meeting points."""

import datetime
import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from titres.core import numbering

from .enums import AppointmentStatus, TitleKind
from .errors import RegisterError
from .models import Appointment, CollectionDevice
from .models.delivery import DeliveryStatus, TitleDelivery
from .procedure import rules
from .selectors import effective_status
from .services import counter


def mairie_view(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        counter.require_mairie(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def _days(request):
    today = timezone.localdate()
    try:
        first = datetime.date.fromisoformat(request.GET.get("du", "")[:10])
    except ValueError:
        first = today
    span = 7 if request.GET.get("vue") == "semaine" else 1
    return first, first + datetime.timedelta(days=span - 1), span


@mairie_view
@require_http_methods(["GET"])
def agenda(request):
    first, last, span = _days(request)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    devices = list(
        CollectionDevice.objects.filter(meeting_point__mairie=request.user)
        .select_related("meeting_point")
        .order_by("meeting_point__name", "label")
    )
    appointments = (
        Appointment.objects.filter(device__in=devices, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("device")
        .prefetch_related("applications__predemande")
        .order_by("starts_at")
    )
    by_device = {device.pk: [] for device in devices}
    for appointment in appointments:
        by_device[appointment.device_id].append(appointment)
    return render(
        request,
        "identite/mairie/agenda.html",
        {
            "columns": [(device, by_device[device.pk]) for device in devices],
            "first": first,
            "last": last,
            "span": span,
            "previous": first - datetime.timedelta(days=span),
            "next": first + datetime.timedelta(days=span),
        },
    )


@mairie_view
@require_POST
def attendance(request, pk: int):
    appointment = get_object_or_404(
        Appointment.objects.filter(meeting_point__mairie=request.user), pk=pk
    )
    honoured = request.POST.get("presence") == "honore"
    try:
        counter.mark_attendance(
            appointment=appointment, honoured=honoured, actor=request.user, request=request
        )
    except RegisterError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Rendez-vous marqué honoré.") if honoured else _("Rendez-vous marqué absent."),
        )
    back = request.POST.get("retour", "")
    return redirect(back if back.startswith("/identite/mairie/") else "identite:agenda")


@mairie_view
@require_http_methods(["GET"])
def counter_lookup(request):
    number = request.GET.get("numero", "")[:40]
    error = ""
    if number:
        try:
            predemande = counter.lookup(mairie=request.user, number=number)
        except RegisterError as exc:
            error = exc.message
        else:
            return redirect("identite:counter_file", predemande.number)
    return render(request, "identite/mairie/counter.html", {"number": number, "error": error})


@mairie_view
@require_http_methods(["GET", "POST"])
def counter_file(request, number: str):
    try:
        predemande = counter.lookup(mairie=request.user, number=number)
    except RegisterError:
        raise Http404 from None
    devices = CollectionDevice.objects.filter(meeting_point__mairie=request.user, is_active=True)
    if request.method == "POST":
        device = get_object_or_404(devices, pk=request.POST.get("dispositif") or 0)
        try:
            collected = counter.record_collection(
                predemande=predemande, device=device, actor=request.user, request=request
            )
        except RegisterError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Dossier recueilli (%(numbers)s) : il est transmis au CERT pour instruction.")
                % {"numbers": ", ".join(numbering.format_number(n) for n in collected)},
            )
        return redirect("identite:counter_file", predemande.number)
    demarche = predemande.demarche
    answers = (demarche.answers if demarche else {}) or {}
    siblings = list(demarche.predemandes.order_by("title")) if demarche else [predemande]
    return render(
        request,
        "identite/mairie/file.html",
        {
            "predemande": predemande,
            "status": effective_status(predemande),
            "siblings": [(p, TitleKind(p.title).label, effective_status(p)) for p in siblings],
            "demarche": demarche,
            "answers": answers,
            "for_minor": rules.for_minor(answers),
            "documents": rules.documents_to_bring(answers),
            "devices": devices,
            "local_appointments": counter.local_appointments(
                mairie=request.user, predemande=predemande
            ),
        },
    )


@mairie_view
@require_http_methods(["GET"])
def deliveries(request):
    items = (
        TitleDelivery.objects.filter(
            meeting_point__mairie=request.user, status=DeliveryStatus.DISPONIBLE
        )
        .select_related("demarche", "meeting_point")
        .order_by("available_at")
    )
    return render(request, "identite/mairie/deliveries.html", {"deliveries": items})


@mairie_view
@require_POST
def delivery_action(request, pk: int):
    delivery = get_object_or_404(
        TitleDelivery.objects.filter(meeting_point__mairie=request.user), pk=pk
    )
    try:
        if request.POST.get("action") == "detruire":
            counter.record_destruction(delivery=delivery, actor=request.user, request=request)
            messages.success(request, _("Destruction du titre enregistrée."))
        else:
            counter.hand_over(delivery=delivery, actor=request.user, request=request)
            messages.success(request, _("Titre remis : la démarche est terminée."))
    except RegisterError as error:
        messages.error(request, error.message)
    return redirect("identite:deliveries")
