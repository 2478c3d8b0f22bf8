"""Pages of the licence request around the engine's wizard: the
confirmation with its receipt (step 8), the way back from the stamp shop
(confirmed by a POST: a GET never reserves a stamp),
and the driving school's list of candidates' files.

The steps, the récapitulatif and the final validation are served by
titres.procedures (URL /demarches/<number>/etapes/<slug>/); after "Valider
ma demande" the engine redirects to `procedure.confirmation_url`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from titres.core import numbering
from titres.procedures import services as procedure_services
from titres.procedures import wizard
from titres.procedures.documents import rules_with_documents
from titres.procedures.registry import get_procedure
from titres.procedures.selectors import demarches_owned_by

from .echange.procedure import CODE as ECHANGE_CODE
from .extension import CODE as EXTENSION_CODE
from .inscription.procedure import CODE as INSCRIPTION_CODE
from .procedure import CODE
from .receipt import receipt_rows, render_receipt_pdf
from .talon import render_talon_pdf

STAMP_INPUT_MAX = 40  # a stamp number is 16 digits; spaces and dashes allowed


LICENCE_CODES = (CODE, INSCRIPTION_CODE, EXTENSION_CODE, ECHANGE_CODE)


def _own_request(request, number, codes=LICENCE_CODES):
    """The user's own licence request or inscription; anything else
    (another person's file, another procedure, a missing number) is the
    same 404."""
    return get_object_or_404(
        demarches_owned_by(request.user)
        .filter(procedure_code__in=codes)
        .select_related("authority", "licence_request", "licence_request__record"),
        number=numbering.normalize(number),
    )


def confirmation(request, number):
    """Step 8: the request is confirmed and can be read; its receipt."""
    demarche = _own_request(request, number)
    if demarche.is_draft:
        return redirect("procedures:resume", number=demarche.number)
    definition = get_procedure(demarche.procedure_code)
    steps = definition.applicable_steps(demarche)
    sections = [(s, s.summary(demarche)) for s in steps if not s.is_summary]
    return render(
        request,
        "permis/demande/confirmation.html",
        {
            "demarche": demarche,
            "definition": definition,
            "total": definition.stepper_total(demarche),
            "sections": sections,
            "receipt_rows": receipt_rows(demarche),
            "rules_documents": rules_with_documents(demarche),
        },
    )


def talon(request, number):
    """The printable photo-signature slip of the citizen's own request."""
    demarche = _own_request(request, number)
    response = HttpResponse(render_talon_pdf(demarche), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="talon-photo-signature-{demarche.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def receipt(request, number):
    demarche = _own_request(request, number)
    if demarche.is_draft:
        raise Http404
    response = HttpResponse(render_receipt_pdf(demarche), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="justificatif-pre-demande-{demarche.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def inscription_attestation(request, number):
    """The attestation d'inscription, once the prefecture attributed the NEPH."""
    from .inscription.attestation import render_attestation_pdf

    demarche = _own_request(request, number, codes=(INSCRIPTION_CODE,))
    licence_request = getattr(demarche, "licence_request", None)
    if licence_request is None or not licence_request.neph_attributed_at:
        raise Http404
    response = HttpResponse(render_attestation_pdf(demarche), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="attestation-inscription-{demarche.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def stamp_return(request, number):
    """Back from the stamp shop with ?timbre=<number>. GET only asks for
    confirmation (a link must never reserve a stamp); the POST checks the
    stamp, reserves it for the draft and goes on at the payment step."""
    demarche = _own_request(request, number, codes=(CODE,))
    if not demarche.is_draft:
        return redirect("procedures:detail", number=demarche.number)
    definition = get_procedure(CODE)
    step = definition.step("paiement")
    source = request.POST if request.method == "POST" else request.GET
    stamp = source.get("timbre", "").strip()[:STAMP_INPUT_MAX]
    if not stamp or not step.applies(demarche):
        return redirect(wizard.step_url(demarche, step))
    if request.method == "GET":
        return render(
            request,
            "permis/demande/stamp_confirm.html",
            {"demarche": demarche, "stamp": stamp, "back": wizard.step_url(demarche, step)},
        )
    form = step.get_form(demarche, data={"numero_timbre": stamp})
    saved = form.is_valid()
    if saved:
        try:
            procedure_services.save_step(
                demarche=demarche,
                step_slug=step.slug,
                answers=step.clean_answers(form),
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
            saved = False
    if saved:
        messages.success(
            request,
            _("Le timbre n° %(number)s est enregistré pour votre demande.")
            % {"number": form.cleaned_data["numero_timbre"]},
        )
    else:
        for error in form.errors.get("numero_timbre", []):
            messages.error(request, error)
    return redirect(wizard.step_url(demarche, step))
