"""Certificat de situation administrative: public (no account), the form,
the situation page and its PDF (titres.vehicules.situation)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .. import situation
from ..documents.situation_pdf import situation_pdf
from ..situation_forms import SituationForm


@login_not_required
@never_cache
def demander(request):
    form = SituationForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        report, token = situation.issue(form.cleaned_data["vehicle"], request=request)
        return render(
            request, "vehicules/situation/resultat.html", {"report": report, "token": token}
        )
    return render(request, "vehicules/situation/demander.html", {"form": form})


@login_not_required
def certificat(request, token):
    report = situation.report_from_token(token)
    if report is None:
        raise Http404
    response = HttpResponse(situation_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificat-situation-{report.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
