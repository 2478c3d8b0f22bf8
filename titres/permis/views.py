from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .communes import communes_for_postal_code, default_prefecture, search_communes
from .enums import LicenceState
from .forms import LinkRecordForm, PhotographerFilterForm
from .identifiers import compact
from .matching import licence_refusal_reason
from .models import Departement
from .selectors import active_photographers, linked_record, records_visible_to

POINTS_HISTORY_ROWS = 100


def my_licence(request):
    """The citizen's licence if attached, else the form to attach it."""
    record = linked_record(request.user)
    if record is not None:
        return redirect("permis:record", neph=record.neph)
    form = LinkRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.link_licence_record(
                user=request.user,
                neph=form.cleaned_data["neph"],
                birth_date=form.cleaned_data["birth_date"],
                request=request,
            )
        except services.LinkError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Votre dossier de permis de conduire est rattaché."))
            return redirect("permis:record", neph=link.record.neph)
    return render(request, "permis/link.html", {"form": form})


def record_detail(request, neph):
    record = get_object_or_404(records_visible_to(request.user), neph=compact(neph))
    return render(
        request,
        "permis/record.html",
        {
            "record": record,
            # Newest first; a licence has a few movements a year, the cap
            # only bounds a page built from data we receive.
            "points_history": record.points_history.all()[:POINTS_HISTORY_ROWS],
            "state_alert": licence_refusal_reason(record),
            "is_valid": record.state == LicenceState.VALIDE,
        },
    )


@require_POST
def unlink(request):
    services.unlink_licence_record(user=request.user, request=request)
    messages.info(request, _("Votre compte n’est plus rattaché à ce dossier."))
    return redirect("permis:my_licence")


@require_GET
def communes_json(request):
    """Autocompletion of communes: ?code_postal=75011 (exact) or ?q=nan."""
    postal_code = request.GET.get("code_postal", "").strip()
    if postal_code:
        communes = communes_for_postal_code(postal_code)[:50] if len(postal_code) == 5 else []
    else:
        communes = search_communes(request.GET.get("q", ""))
    communes = list(communes)
    departements = {
        d.code: d
        for d in Departement.objects.filter(code__in={c.departement_code for c in communes})
    }
    results = []
    for commune in communes:
        dept = departements.get(commune.departement_code)
        results.append(
            {
                "code_postal": commune.postal_code,
                "code_insee": commune.insee_code,
                "nom": commune.name,
                "departement": commune.departement_code,
                "prefecture": dept.prefecture_label if dept else "",
            }
        )
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_not_required
def photographers(request):
    """Où faire votre photo / signature numérique ?"""
    departements = Departement.objects.order_by("code")
    form = PhotographerFilterForm(request.GET or None, departements=departements)
    departement = form.cleaned_data["departement"] if form.is_valid() else ""
    return render(
        request,
        "permis/photographers.html",
        {
            "form": form,
            "photographers": active_photographers(departement=departement or None),
            "departement": default_prefecture(departement) if departement else None,
        },
    )
