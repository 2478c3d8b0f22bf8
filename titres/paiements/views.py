"""Public pages of the stamp shop (no account needed to buy, check or
refund a stamp) and the notification endpoint for payment providers."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from titres.core import ratelimit
from titres.core.http import safe_next_url
from titres.core.journal import client_ip

from . import services
from .enums import STAMP_AMOUNTS_CENTS, PaymentKind, PaymentState, StampPurpose
from .forms import PurchaseForm, RefundForm, StampNumberForm
from .models import Payment, Stamp, format_amount
from .notifications import MAX_BODY_BYTES, NOTIFICATION_IP_LIMIT, receive_notification
from .pdf import render_stamp_pdf


def with_query(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    query.append((name, value))
    return urlunsplit(parts._replace(query=urlencode(query)))


# Public pages that take a stamp number (and an e-mail address): limited per
# IP address so that numbers cannot be tried in bulk.
PUBLIC_LOOKUP_LIMIT = "30/hour"
VERIFY_LIMITED = _(
    "Trop de vérifications de timbres depuis votre adresse réseau. Réessayez dans une heure."
)
REFUND_LIMITED = _(
    "Trop de demandes de remboursement depuis votre adresse réseau. Réessayez dans une heure."
)


def _allowed(request, page: str) -> bool:
    ip = client_ip(request)
    return ip is None or ratelimit.hit(f"paiements:{page}:ip", ip, PUBLIC_LOOKUP_LIMIT)


def _actor(request):
    return request.user if request.user.is_authenticated else None


@login_not_required
def boutique(request):
    if request.method == "POST":
        form = PurchaseForm(request.POST)
        if form.is_valid():
            try:
                start = services.start_stamp_purchase(
                    purpose=form.cleaned_data["motif"],
                    email=form.cleaned_data["email"],
                    idempotency_key=form.cleaned_data["cle"],
                    next_url=safe_next_url(request, form.cleaned_data["next"]),
                    actor=_actor(request),
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect(start.redirect_url)
    else:
        initial = {"next": safe_next_url(request, request.GET.get("next"))}
        if request.GET.get("motif") in StampPurpose.values:
            initial["motif"] = request.GET["motif"]
        if request.user.is_authenticated and request.user.email:
            initial["email"] = request.user.email
        form = PurchaseForm(initial=initial)
    tariffs = [
        (purpose.label, format_amount(STAMP_AMOUNTS_CENTS[purpose])) for purpose in StampPurpose
    ]
    return render(request, "paiements/boutique.html", {"form": form, "tariffs": tariffs})


@login_not_required
@never_cache
def resultat(request, token):
    """The buyer's return: shows what the provider's notification decided."""
    payment = get_object_or_404(Payment, public_token=token)
    accepted = payment.state == PaymentState.ACCEPTE
    stamp = getattr(payment, "stamp", None) if accepted else None
    next_link = ""
    if stamp and payment.next_url:
        next_link = with_query(payment.next_url, "timbre", stamp.number)
    elif accepted and payment.kind == PaymentKind.FRAIS and payment.next_url:
        next_link = with_query(payment.next_url, "paiement", payment.reference)
    if payment.kind == PaymentKind.TIMBRE:
        retry_link = (
            reverse("paiements:boutique")
            + "?"
            + urlencode(
                {
                    "motif": payment.purpose,
                    **({"next": payment.next_url} if payment.next_url else {}),
                }
            )
        )
    else:
        retry_link = payment.next_url
    return render(
        request,
        "paiements/resultat.html",
        {
            "payment": payment,
            "stamp": stamp,
            "next_link": next_link,
            "retry_link": retry_link,
            "states": PaymentState,
        },
    )


@login_not_required
@never_cache
def timbre_pdf(request, token):
    payment = get_object_or_404(
        Payment, public_token=token, kind=PaymentKind.TIMBRE, state=PaymentState.ACCEPTE
    )
    stamp = get_object_or_404(Stamp, payment=payment)
    response = HttpResponse(render_stamp_pdf(stamp), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="timbre-{stamp.number}.pdf"'
    return response


@login_not_required
def verifier(request):
    status = None
    searched = False
    form = StampNumberForm(request.GET or None)
    limited = False
    if request.GET and form.is_valid():
        if _allowed(request, "verifier"):
            searched = True
            status = services.stamp_status(form.cleaned_data["numero"])
        else:
            limited = True
            form.add_error(None, VERIFY_LIMITED)
    return render(
        request,
        "paiements/verifier.html",
        {"form": form, "status": status, "searched": searched},
        status=429 if limited else 200,
    )


@login_not_required
def rembourser(request):
    """Two steps: prove possession (number + e-mail), then confirm."""
    stamp = None
    done = False
    form = RefundForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _allowed(request, "rembourser"):
        form.add_error(None, REFUND_LIMITED)
        return render(
            request,
            "paiements/rembourser.html",
            {"form": form, "stamp": None, "done": False},
            status=429,
        )
    if request.method == "POST" and form.is_valid():
        number, email = form.cleaned_data["numero"], form.cleaned_data["email"]
        try:
            if request.POST.get("confirmer") == "1":
                stamp = services.refund_stamp(
                    number=number, email=email, actor=_actor(request), request=request
                )
                done = True
            else:
                stamp = services.find_refundable_stamp(number=number, email=email)
        except services.StampError as exc:
            form.add_error(None, exc)
            stamp = None
    return render(
        request,
        "paiements/rembourser.html",
        {"form": form, "stamp": stamp, "done": done},
    )


@csrf_exempt  # server-to-server; authenticated by its HMAC signature instead
@login_not_required
@require_POST
def notification(request, provider):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return HttpResponse("trop_grande", status=413, content_type="text/plain; charset=utf-8")
    ip = client_ip(request)
    if ip and not ratelimit.hit("paiements:notification:ip", ip, NOTIFICATION_IP_LIMIT):
        return HttpResponse(
            "trop_de_requetes", status=429, content_type="text/plain; charset=utf-8"
        )
    status, outcome = receive_notification(
        provider_code=provider, fields=request.POST.dict(), request=request
    )
    return HttpResponse(outcome, status=status, content_type="text/plain; charset=utf-8")
