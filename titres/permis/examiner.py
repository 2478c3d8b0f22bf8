"""Recording exam results in the SNPC from the agents' space ("Résultats
d'examen"): neither the seeds nor DESIGN give the examiner an account, so a
prefecture or CERT agent holding the permission `permis.record_exam_result`
(given by an operator, e.g. through the group "Saisie des résultats
d'examen") types what the examination centre reports. The agent finds the
candidate by NEPH, checks who it is, then records the theory test (ETG) or a
practical test; the rules (no future date, a practical test needs a valid
ETG) are those of titres/permis/exams.py, which journals each result."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from titres.instruction.access import request_memberships
from titres.instruction.auth import agent_view
from titres.instruction.views.common import page_context

from . import exams
from .enums import Category
from .identifiers import cleaned_neph
from .models import LicenceRecord

PERMISSION = "permis.record_exam_result"
NOT_ALLOWED = gettext_lazy(
    "La saisie des résultats d’examen est réservée aux agents habilités à le faire."
)
THEORY = "etg"
PRACTICAL = gettext_lazy("Épreuve pratique")


class CandidateForm(DsfrBaseForm):
    neph = forms.CharField(
        label=gettext_lazy("Numéro de dossier (NEPH) du candidat"),
        help_text=gettext_lazy("12 chiffres, indiqués sur la convocation à l’examen."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_neph(self):
        return cleaned_neph(self.cleaned_data["neph"])


class ResultForm(DsfrBaseForm):
    test = forms.ChoiceField(
        label=gettext_lazy("Épreuve"),
        choices=[(THEORY, gettext_lazy("Épreuve théorique générale (code)"))]
        + [(code, format_lazy("{} {}", PRACTICAL, code)) for code in Category.values],
    )
    taken_on = forms.DateField(
        label=gettext_lazy("Date de l’épreuve"),
        help_text=gettext_lazy("Format attendu : JJ/MM/AAAA"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    centre = forms.CharField(label=gettext_lazy("Centre d’examen"), max_length=150)
    passed = forms.TypedChoiceField(
        label=gettext_lazy("Résultat"),
        choices=[("1", gettext_lazy("Réussite")), ("0", gettext_lazy("Échec"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


def _record(neph: str) -> LicenceRecord | None:
    return (
        LicenceRecord.objects.filter(neph=neph)
        .prefetch_related("theory_tests", "practical_tests")
        .first()
    )


@agent_view
def exam_results(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied(NOT_ALLOWED)
    membership = request_memberships(request)[0]
    search = CandidateForm(request.POST or request.GET or None)
    record = None
    result_form = None
    if search.is_valid():
        record = _record(search.cleaned_data["neph"])
        if record is None:
            search.add_error("neph", _("Aucun dossier du fichier national ne porte ce numéro."))
        else:
            result_form = ResultForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and result_form is not None and result_form.is_valid():
        data = result_form.cleaned_data
        try:
            if data["test"] == THEORY:
                exams.record_theory_test(
                    record=record,
                    taken_on=data["taken_on"],
                    passed=data["passed"],
                    centre=data["centre"],
                    actor=request.user,
                    request=request,
                )
            else:
                exams.record_practical_test(
                    record=record,
                    category=data["test"],
                    taken_on=data["taken_on"],
                    passed=data["passed"],
                    centre=data["centre"],
                    actor=request.user,
                    request=request,
                )
        except ValidationError as error:
            for message in error.messages:
                result_form.add_error(None, message)
        else:
            test = dict(result_form.fields["test"].choices)[data["test"]]
            messages.success(
                request,
                _("Résultat enregistré pour %(name)s : %(test)s du %(date)s, %(result)s.")
                % {
                    "name": f"{record.first_names} {record.birth_name}",
                    "test": test,
                    "date": data["taken_on"].strftime("%d/%m/%Y"),
                    "result": _("réussite") if data["passed"] else _("échec"),
                },
            )
            return redirect(reverse("permis:exam_results") + "?" + urlencode({"neph": record.neph}))
    return render(
        request,
        "permis/examiner.html",
        page_context(
            request,
            membership.authority,
            membership.role,
            search=search,
            record=record,
            result_form=result_form,
        ),
    )
