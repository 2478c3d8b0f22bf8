"""Pages of the licence request around the engine's wizard: the final
validation (step 7 → 8), the confirmation with its receipt, the way back
from the stamp shop, and the driving school's list of candidates' files.

The steps themselves are served by titres.procedures (URL
/demarches/<number>/etapes/<slug>/)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from titres.core import numbering
from titres.procedures import services as procedure_services
from titres.procedures import wizard
from titres.procedures.documents import rules_with_documents
from titres.procedures.registry import get_procedure
from titres.procedures.selectors import demarches_owned_by
from titres.procedures.workflow import TransitionRefused

from .procedure import CODE
from .receipt import receipt_rows, render_receipt_pdf

SUMMARY = "recapitulatif"


def _own_request(request, number):
    """The user's own licence request; anything else (another person's
    file, another procedure, a missing number) is the same 404."""
    return get_object_or_404(
        demarches_owned_by(request.user).filter(procedure_code=CODE).select_related("authority"),
        number=numbering.normalize(number),
    )


def summary_context(demarche, *, form, errors=()) -> dict:
    """What the récapitulatif template needs (the engine builds the same
    for a GET of the step)."""
    definition = get_procedure(CODE)
    where = wizard.position(definition, demarche, SUMMARY)
    problems: dict[str, list[str]] = {}
    for slug, message in errors:
        problems.setdefault(slug, []).append(message)
    return {
        "demarche": demarche,
        "definition": definition,
        "step": definition.step(SUMMARY),
        "position": where,
        "form": form,
        "errors": list(errors),
        "sections": [
            (s, s.summary(demarche), problems.get(s.slug, []))
            for s in where.steps
            if s.kind != "summary"
        ],
        "general_errors": problems.get("", []),
        "step_titles": {s.slug: s.title for s in where.steps},
    }


@require_POST
def submit(request, number):
    """ "Valider ma demande": the sworn statement must be ticked; the engine
    re-checks every step and our guards (licence state, e-photo, stamp)."""
    demarche = _own_request(request, number)
    if not demarche.is_draft:
        return redirect("permis:request_confirmation", number=demarche.number)
    definition = get_procedure(CODE)
    summary = definition.step(SUMMARY)
    if request.POST.get("action") == "previous":
        where = wizard.position(definition, demarche, SUMMARY)
        return redirect(wizard.step_url(demarche, where.previous or where.step))
    form = summary.get_form(demarche, data=request.POST)
    errors = []
    if form.is_valid():
        try:
            procedure_services.submit_demarche(
                demarche=demarche, actor=request.user, request=request
            )
        except TransitionRefused as error:
            errors = error.errors or [("", error.message)]
        except (ValidationError, PermissionDenied) as error:
            errors = [("", m) for m in getattr(error, "messages", [str(error)])]
        else:
            messages.success(
                request,
                _("Votre demande n° %(number)s a été validée et transmise.")
                % {"number": demarche.display_number},
            )
            return redirect("permis:request_confirmation", number=demarche.number)
    return render(
        request,
        summary.get_template_name(),
        summary_context(demarche, form=form, errors=errors),
        status=400,
    )


def confirmation(request, number):
    """Step 8: the request is confirmed and can be read; its receipt."""
    demarche = _own_request(request, number)
    if demarche.is_draft:
        return redirect("procedures:resume", number=demarche.number)
    definition = get_procedure(CODE)
    steps = definition.applicable_steps(demarche)
    sections = [(s, s.summary(demarche)) for s in steps if s.kind != "summary"]
    return render(
        request,
        "permis/demande/confirmation.html",
        {
            "demarche": demarche,
            "definition": definition,
            "total": len(steps) + 1,
            "sections": sections,
            "receipt_rows": receipt_rows(demarche),
            "rules_documents": rules_with_documents(demarche),
        },
    )


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


def stamp_return(request, number):
    """Back from the stamp shop with ?timbre=<number>: the stamp is checked
    and reserved for the draft, then the journey goes on at the payment step."""
    demarche = _own_request(request, number)
    if not demarche.is_draft:
        return redirect("procedures:detail", number=demarche.number)
    definition = get_procedure(CODE)
    step = definition.step("paiement")
    stamp = request.GET.get("timbre", "")
    if stamp and step.applies(demarche):
        form = step.get_form(demarche, data={"numero_timbre": stamp})
        if form.is_valid():
            procedure_services.save_step(
                demarche=demarche,
                step_slug=step.slug,
                answers=step.clean_answers(form),
                actor=request.user,
                request=request,
            )
            messages.success(
                request,
                _("Le timbre n° %(number)s est enregistré pour votre demande.")
                % {"number": form.cleaned_data["numero_timbre"]},
            )
        else:
            for error in form.errors.get("numero_timbre", []):
                messages.error(request, error)
    return redirect(wizard.step_url(demarche, step))


def driving_school_requests(request):
    """A driving school's requests filed for its candidates (only its own)."""
    if getattr(request.user, "profile", "") != "auto_ecole":
        raise Http404
    demarches = demarches_owned_by(request.user).filter(procedure_code=CODE).order_by("-created_at")
    return render(request, "permis/demande/auto_ecole.html", {"demarches": demarches})
