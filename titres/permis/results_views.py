"""Résultats du permis de conduire: public (no account), the form, the
results page and the CEPC PDF (titres.permis.results)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import results
from .results_forms import ResultsForm


@login_not_required
@never_cache
def consulter(request):
    form = ResultsForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        found = results.results_for(form.cleaned_data["record"], request=request)
        rows = [
            {
                "test": t,
                "valid": found.cepc_valid(t),
                "token": results.cepc_token(t) if found.cepc_valid(t) else "",
            }
            for t in found.practical_tests
        ]
        return render(
            request,
            "permis/resultats/resultat.html",
            {
                "results": found,
                "practical_rows": rows,
                "cepc_rows": [row for row in rows if row["valid"]],
            },
        )
    return render(request, "permis/resultats/consulter.html", {"form": form})


@login_not_required
def cepc(request, token):
    from .cepc_pdf import cepc_pdf

    test = results.cepc_from_token(token)
    if test is None:
        raise Http404
    response = HttpResponse(cepc_pdf(test), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cepc-{test.cepc_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
