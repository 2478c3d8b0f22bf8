"""The professional's stock: déclaration d'achat, the list of vehicles
bought and not resold, and the resale to the final buyer (déclaration de
cession with its code; the seller's result page and PDF)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ..documents.accuse_pdf import purchase_accuse_pdf
from ..professionnels.access import pro_required
from ..professionnels.stock import (
    Establishment,
    add_certificate_scan,
    declare_purchase,
    declare_resale,
    filtered_stock,
    purchases_of,
    stock_of,
)
from ..professionnels.stock_forms import (
    CertificateScanForm,
    PurchaseForm,
    ResaleForm,
    StockFilterForm,
)
from ..selectors import RegistryRefusal
from .cession import SESSION_KEY

PAGE_SIZE = 25


def _query(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value:
            params[key] = value
    return params.urlencode()


@pro_required
def stock(request):
    form = StockFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = filtered_stock(
        request.user, plate=data.get("plaque") or "", since=data.get("du"), until=data.get("au")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vehicules/pro/stock.html",
        {
            "form": form,
            "page": page,
            "entries": list(page.object_list),
            "page_query": _query(request, page=""),
        },
    )


@pro_required
def achat(request):
    form = PurchaseForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = declare_purchase(
                vehicle=data["vehicle"],
                habilitation=request.habilitation,
                seller_names=(data["vendeur_nom"], data["vendeur_prenoms"]),
                purchased_at=data["purchased_at"],
                mileage=data["kilometrage"],
                proof=data["justificatif"],
                code=data.get("code_cession") or "",
                certificate=data.get("certificat_barre"),
                establishment=Establishment(
                    address=data["adresse"],
                    postal_code=data["code_postal"],
                    commune=data["commune"],
                ),
                actor=request.user,
                request=request,
            )
        except RegistryRefusal as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal)
        else:
            messages.success(
                request,
                _(
                    "Achat du véhicule %(plate)s enregistré (n° d’enregistrement %(number)s) : "
                    "il est dans votre stock."
                )
                % {"plate": entry.vehicle.plate_display, "number": entry.registration_number},
            )
            return redirect("vehicules:pro_stock")
    status = 400 if request.method == "POST" else 200
    return render(request, "vehicules/pro/achat.html", {"form": form}, status=status)


@pro_required
def revente(request, pk):
    entry = get_object_or_404(stock_of(request.user), pk=pk)
    form = ResaleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        buyer = form.buyer()
        try:
            result = declare_resale(
                entry=entry,
                habilitation=request.habilitation,
                sold_at=data["sold_at"],
                mileage=data["kilometrage"],
                buyer=buyer,
                actor=request.user,
                request=request,
            )
        except RegistryRefusal as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal)
        else:
            # The seller's result page shows the code once, then the PDF.
            request.session[SESSION_KEY] = {
                "id": str(result.declaration.pk),
                "code": result.code_display,
            }
            return redirect("vehicules:cession_resultat", pk=result.declaration.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "vehicules/pro/revente.html", {"form": form, "entry": entry}, status=status
    )


@pro_required
def accuse(request, pk):
    """The purchase's accusé d'enregistrement (PDF), in stock or resold."""
    entry = get_object_or_404(purchases_of(request.user), pk=pk)
    response = HttpResponse(purchase_accuse_pdf(entry), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="accuse-achat-{entry.registration_number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@pro_required
def certificat(request, pk):
    """Add the barred certificate's scan to a purchase declared without it
    (a batch line, or with the seller's code); another professional's
    purchase → 404, one that has its scan → the refusal."""
    entry = get_object_or_404(purchases_of(request.user), pk=pk)
    posted = request.method == "POST"
    form = CertificateScanForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            add_certificate_scan(
                entry=entry,
                scan=form.cleaned_data["certificat_barre"],
                actor=request.user,
                request=request,
            )
        except RegistryRefusal as refusal:
            form.add_error("certificat_barre", refusal)
        else:
            messages.success(
                request,
                _(
                    "Scan du certificat barré du véhicule %(plate)s ajouté à la déclaration "
                    "d’achat n° %(number)s."
                )
                % {"plate": entry.vehicle.plate_display, "number": entry.registration_number},
            )
            return redirect("vehicules:pro_stock")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "vehicules/pro/certificat_barre.html",
        {"form": form, "entry": entry},
        status=status,
    )
