"""The road-safety centre's pages: its sessions (and nobody else's),
attendees, closing, CSV export. Other profiles get 404."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import AttendeeForm, SessionForm
from .models import StageAttendee, StageSession

PAGE_SIZE = 25
EXPORT_MAX_ROWS = 20_000


def _centre(request):
    if getattr(request.user, "profile", "") != services.CSSR_PROFILE:
        raise Http404
    return request.user


def _own_session(request, pk):
    return get_object_or_404(StageSession.objects.filter(centre=_centre(request)), pk=pk)


def sessions(request):
    centre = _centre(request)
    qs = StageSession.objects.filter(centre=centre).order_by("-starts_on", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "permis/stages/list.html", {"page": page, "centre": centre})


def new_session(request):
    centre = _centre(request)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(centre=centre, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le stage est déclaré : inscrivez ses stagiaires."))
            return redirect("permis:stage", pk=session.pk)
    return render(request, "permis/stages/new.html", {"form": form, "centre": centre})


def session_detail(request, pk):
    session = _own_session(request, pk)
    form = AttendeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attendee = services.add_attendee(
                session=session, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if attendee.status == "a_verifier":
                messages.warning(
                    request,
                    _(
                        "%(name)s est inscrit, mais son état civil diffère du fichier national : "
                        "vérifiez les différences."
                    )
                    % {"name": attendee.birth_name},
                )
            else:
                messages.success(
                    request, _("%(name)s est inscrit.") % {"name": attendee.birth_name}
                )
            return redirect("permis:stage", pk=session.pk)
    attendees = session.attendees.select_related("record").order_by("birth_name", "first_names")
    return render(
        request,
        "permis/stages/detail.html",
        {"session": session, "attendees": attendees, "form": form},
    )


@require_POST
def attendee_action(request, pk, attendee_pk, action):
    session = _own_session(request, pk)
    attendee = get_object_or_404(StageAttendee.objects.filter(session=session), pk=attendee_pk)
    try:
        if action == "confirmer":
            services.confirm_attendee(attendee=attendee, actor=request.user, request=request)
            messages.success(request, _("Différences vérifiées : le stagiaire est confirmé."))
        elif action == "retirer":
            services.remove_attendee(attendee=attendee, actor=request.user, request=request)
            messages.success(request, _("Le stagiaire est retiré du stage."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("permis:stage", pk=session.pk)


@require_POST
def close(request, pk):
    session = _own_session(request, pk)
    try:
        session = services.close_session(session=session, actor=request.user, request=request)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        credited = session.attendees.filter(status="credite").count()
        messages.success(
            request,
            _("Le stage est clôturé : %(n)s permis crédités, attestations envoyées.")
            % {"n": credited},
        )
    return redirect("permis:stage", pk=session.pk)


def export_csv(request):
    """Every session of the centre with its attendees, one row each."""
    centre = _centre(request)
    rows = (
        StageAttendee.objects.filter(session__centre=centre)
        .select_related("session")
        .order_by("-session__starts_on", "session_id", "birth_name")[:EXPORT_MAX_ROWS]
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="stages.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Stage"), _("Premier jour"), _("Second jour"), _("Commune"), _("Statut du stage"),
            _("NEPH"), _("Nom de naissance"), _("Prénoms"), _("Date de naissance"),
            _("Statut"), _("Points avant"), _("Points après"), _("Motif du refus"),
        ]
    )  # fmt: skip
    for a in rows:
        writer.writerow(
            [
                a.session_id, a.session.starts_on.strftime("%d/%m/%Y"),
                a.session.ends_on.strftime("%d/%m/%Y"), a.session.commune,
                a.session.get_status_display(), a.neph, _safe(a.birth_name),
                _safe(a.first_names), a.birth_date.strftime("%d/%m/%Y"),
                a.get_status_display(), a.points_before if a.points_before is not None else "",
                a.points_after if a.points_after is not None else "", _safe(a.refusal),
            ]
        )  # fmt: skip
    return response


def _safe(value: str) -> str:
    """No spreadsheet formula from what a person typed."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
