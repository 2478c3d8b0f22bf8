"""The seller's screens: déclaration de cession, the code shown once, the
certificat de cession (PDF with its 2D-Doc), cancellation."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..cession_forms import CessionForm
from ..documents.cession_pdf import cession_certificate_pdf
from ..models import CessionDeclaration
from ..selectors import RegistryRefusal
from ..services.cession import cancel_cession, declare_cession

SESSION_KEY = "vehicules_code_cession"


def _mine(request, pk):
    return get_object_or_404(
        CessionDeclaration.objects.select_related("vehicle"), pk=pk, seller=request.user
    )


def declarer(request):
    form = CessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        buyer = form.buyer()
        try:
            result = declare_cession(
                vehicle=data["vehicle"],
                seller=request.user,
                sold_at=data["sold_at"],
                mileage=data["kilometrage"],
                buyer=buyer,
                actor=request.user,
                request=request,
                seller_names=(data["client_nom"], data["client_prenoms"])
                if form.for_client
                else None,
            )
        except RegistryRefusal as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal)
        else:
            # Shown once: the next display of the result page no longer has it.
            request.session[SESSION_KEY] = {
                "id": str(result.declaration.pk),
                "code": result.code_display,
            }
            return redirect("vehicules:cession_resultat", pk=result.declaration.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "vehicules/cession/declarer.html", {"form": form}, status=status)


def resultat(request, pk):
    declaration = _mine(request, pk)
    shown = request.session.get(SESSION_KEY) or {}
    code = shown.get("code") if shown.get("id") == str(declaration.pk) else None
    if code:
        del request.session[SESSION_KEY]
    # A professional's resale from their stock goes back to the stock.
    resale = declaration.stock_resales.exists()
    return render(
        request,
        "vehicules/cession/resultat.html",
        {"declaration": declaration, "code": code, "from_stock": resale},
    )


def certificat(request, pk):
    declaration = _mine(request, pk)
    response = HttpResponse(cession_certificate_pdf(declaration), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificat-de-cession-{declaration.vehicle.plate}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def annuler(request, pk):
    declaration = _mine(request, pk)
    try:
        cancel_cession(declaration=declaration, actor=request.user, request=request)
    except RegistryRefusal as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(
            request, _("La déclaration de cession a été annulée : le code n’est plus valable.")
        )
    return redirect("vehicules:espace")
