"""Public 2D-Doc pages: the verification page and the published
certificates (the trust list that any 2D-Doc reader can load)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from titres.core import ratelimit
from titres.core.journal import client_ip

from . import keys
from .codec import Status, verify
from .forms import MAX_UPLOAD_BYTES, VerifyForm

VERIFY_LIMIT = "30/10 minutes"
LIMITED = _("Trop de vérifications depuis votre adresse : réessayez dans quelques minutes.")
REQUEST_TOO_LARGE = _("La photo dépasse 5 Mo : réduisez-la ou recadrez-la sur le code.")
# The form's own limit, plus room for the text field and the multipart
# boundaries: anything larger is refused before Django reads the body.
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 64 * 1024

ALERTS = {
    Status.AUTHENTIC: "fr-alert--success",
    Status.EXPIRED: "fr-alert--warning",
}


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@login_not_required
@never_cache
def verify_page(request):
    result = None
    status = 200
    refusal = ""
    form = VerifyForm()
    if request.method == "POST" and _declared_length(request) > MAX_REQUEST_BYTES:
        refusal, status = REQUEST_TOO_LARGE, 413
    elif request.method == "POST":
        ip = client_ip(request)
        if ip is not None and not ratelimit.hit("core:twoddoc_verify:ip", ip, VERIFY_LIMIT):
            refusal, status = LIMITED, 429
        else:
            form = VerifyForm(request.POST, request.FILES)
            if form.is_valid() and "decoded" in form.cleaned_data:
                result = verify(form.cleaned_data["decoded"])
    context = {
        "form": form,
        "refusal": refusal,
        "result": result,
        "alert": ALERTS.get(result.status, "fr-alert--error") if result else "",
        "show_fields": bool(result and result.signature_valid),
    }
    return render(request, "core/twoddoc/verify.html", context, status=status)


@login_not_required
@require_GET
def certificates_page(request):
    trusted = sorted(keys.trust_list().values(), key=lambda c: (c.ca_id, c.cert_id))
    return render(
        request,
        "core/twoddoc/certificates.html",
        {"certificates": trusted, "current": keys.signing_key().trusted},
    )


@login_not_required
@require_GET
def trust_list_pem(request):
    trusted = sorted(keys.trust_list().values(), key=lambda c: (c.ca_id, c.cert_id))
    body = b"".join(c.pem() for c in trusted)
    response = HttpResponse(body, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="titres-2d-doc-certificats.pem"'
    return response


@login_not_required
@require_GET
def certificate_file(request, ident: str, ext: str):
    """One certificate, named as readers expect it: CA id + certificate id
    (FR00TD01.der), in DER or PEM."""
    certificate = keys.trust_list().get((ident[:4].upper(), ident[4:].upper()))
    if certificate is None or len(ident) != 8 or ext not in ("der", "pem"):
        raise Http404
    if ext == "der":
        response = HttpResponse(certificate.der(), content_type="application/pkix-cert")
    else:
        response = HttpResponse(certificate.pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = f'inline; filename="{ident.upper()}.{ext}"'
    return response
