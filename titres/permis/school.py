"""The driving school's space: the licence files it filed for its
candidates (and nobody else's), each with where it stands — the request's
status, the NEPH, the exams in the SNPC, the card — filtered, searched,
paginated and exported as CSV. Reads only; every write is a téléprocédure."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from titres.core import numbering
from titres.core.normalisation import normalise_name
from titres.procedures.enums import Status
from titres.procedures.selectors import demarches_owned_by

from .enums import TitleStatus
from .extension import CODE as EXTENSION_CODE
from .identifiers import compact, format_neph
from .inscription.fabrication import CODE as FABRICATION_CODE
from .inscription.procedure import CODE as INSCRIPTION_CODE
from .models import LicenceTitle
from .procedure import CODE as RENEWAL_CODE

SCHOOL_PROFILE = "auto_ecole"
PAGE_SIZE = 25
QUERY_MAX = 100
EXPORT_MAX_ROWS = 5000
KINDS = {
    INSCRIPTION_CODE: gettext_lazy("Inscription"),
    FABRICATION_CODE: gettext_lazy("Fabrication du titre"),
    EXTENSION_CODE: gettext_lazy("Extension de catégorie"),
    RENEWAL_CODE: gettext_lazy("Renouvellement"),
}  # (an exchange is the holder's own request: a school never files one)


class CandidateFilterForm(DsfrBaseForm):
    q = forms.CharField(
        label=gettext_lazy("Rechercher"),
        help_text=gettext_lazy("Nom du candidat, NEPH ou numéro de la demande"),
        max_length=QUERY_MAX,
        required=False,
    )
    demande = forms.ChoiceField(label=gettext_lazy("Demande"), required=False)
    statut = forms.ChoiceField(label=gettext_lazy("Statut"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demande"].choices = [("", _("Toutes les demandes")), *KINDS.items()]
        self.fields["statut"].choices = [("", _("Tous les statuts")), *Status.choices]


def school_files(user):
    """The school's own licence files (another account's: never)."""
    return demarches_owned_by(user).filter(procedure_code__in=list(KINDS))


def filtered(user, form: CandidateFilterForm):
    queryset = school_files(user)
    if form.is_valid():
        data = form.cleaned_data
        if data["demande"]:
            queryset = queryset.filter(procedure_code=data["demande"])
        if data["statut"]:
            queryset = queryset.filter(status=data["statut"])
        text = " ".join(data["q"].split())
        if text:
            name = normalise_name(text)
            condition = (
                Q(acting_for__nom_naissance__icontains=text)
                | Q(acting_for__nom_usage__icontains=text)
                | Q(licence_request__record__birth_name_normalised__contains=name)
                | Q(licence_request__record__usage_name_normalised__contains=name)
                | Q(number__icontains=numbering.normalize(text))
            )
            digits = compact(text)
            if digits.isdigit() and len(digits) >= 4:
                condition |= Q(licence_request__record__neph__contains=digits) | Q(
                    answers__permis__neph__icontains=digits
                )
            queryset = queryset.filter(condition)
    return queryset.select_related("licence_request", "licence_request__record").order_by(
        "-created_at", "-pk"
    )


def _with_snpc(demarches):
    """The SNPC facts of each row in a constant number of queries."""
    from .models import LicenceRecord, PracticalTest, TheoryTest

    records = {d.licence_request.record_id for d in demarches if _record_id(d)}
    by_pk = {
        r.pk: r
        for r in LicenceRecord.objects.filter(pk__in=records).prefetch_related(
            Prefetch("theory_tests", queryset=TheoryTest.objects.order_by("-taken_on")),
            Prefetch("practical_tests", queryset=PracticalTest.objects.order_by("taken_on")),
            Prefetch("titles", queryset=LicenceTitle.objects.order_by("-issued_on")),
        )
    }
    return [Row(d, by_pk.get(_record_id(d))) for d in demarches]


def _record_id(demarche):
    request = getattr(demarche, "licence_request", None)
    return request.record_id if request is not None else None


@dataclass
class Row:
    demarche: object
    record: object

    @property
    def kind(self) -> str:
        return str(KINDS.get(self.demarche.procedure_code, ""))

    @property
    def candidate(self) -> str:
        acting = self.demarche.acting_for or {}
        if acting.get("nom_naissance"):
            return " ".join([acting["nom_naissance"], *(acting.get("prenoms") or [])]).strip()
        if self.record is not None:
            return f"{self.record.birth_name} {self.record.first_names}"
        return ""

    @property
    def birth_date(self) -> str:
        acting = self.demarche.acting_for or {}
        if self.record is not None:
            return self.record.birth_date.strftime("%d/%m/%Y")
        value = acting.get("date_naissance") or ""
        return "/".join(reversed(value.split("-"))) if value else ""

    @property
    def neph(self) -> str:
        return format_neph(self.record.neph) if self.record is not None else ""

    @property
    def snpc_state(self) -> str:
        return self.record.get_state_display() if self.record is not None else ""

    @property
    def exams(self) -> list[str]:
        if self.record is None:
            return []
        lines = []
        theory = next(iter(self.record.theory_tests.all()), None)
        if theory is not None:
            lines.append(
                _("Code réussi le %(date)s") % {"date": theory.taken_on.strftime("%d/%m/%Y")}
                if theory.passed
                else _("Code : échec le %(date)s") % {"date": theory.taken_on.strftime("%d/%m/%Y")}
            )
        for test in self.record.practical_tests.all():
            values = {"category": test.category, "date": test.taken_on.strftime("%d/%m/%Y")}
            lines.append(
                _("%(category)s réussie le %(date)s") % values
                if test.passed
                else _("%(category)s : échec le %(date)s") % values
            )
        return lines

    @property
    def title(self) -> str:
        if self.demarche.status == Status.EN_PRODUCTION:
            return _("En fabrication")
        if self.record is None:
            return ""
        current = next(
            (t for t in self.record.titles.all() if t.status == TitleStatus.VALIDE), None
        )
        if current is None:
            return ""
        return _("N° %(number)s du %(date)s") % {
            "number": current.number,
            "date": current.issued_on.strftime("%d/%m/%Y"),
        }


def _school(request):
    if getattr(request.user, "profile", "") != SCHOOL_PROFILE:
        raise Http404
    return request.user


def _query(form, *, without=()) -> str:
    if not form.is_valid():
        return ""
    return urlencode(
        {k: v for k, v in form.cleaned_data.items() if v and k not in without},
    )


def candidates(request):
    """/permis/demandes/candidats/: the school's files, 25 a page."""
    user = _school(request)
    form = CandidateFilterForm(request.GET or None)
    page = Paginator(filtered(user, form), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "permis/demande/auto_ecole.html",
        {
            "form": form,
            "page": page,
            "rows": _with_snpc(list(page.object_list)),
            "page_query": _query(form),
            "filtered": bool(_query(form)),
        },
    )


def export_csv(request):
    """The same selection as the list, every page (at most 5,000 rows)."""
    user = _school(request)
    form = CandidateFilterForm(request.GET or None)
    demarches = list(filtered(user, form)[:EXPORT_MAX_ROWS])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="candidats.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Numéro"), _("Déposée le"), _("Demande"), _("Candidat"), _("Date de naissance"),
            _("Statut"), _("NEPH"), _("Dossier SNPC"), _("Examens"), _("Titre"),
        ]
    )  # fmt: skip
    for row in _with_snpc(demarches):
        d = row.demarche
        writer.writerow(
            [
                d.display_number, d.created_at.strftime("%d/%m/%Y"), row.kind,
                _safe(row.candidate), row.birth_date, d.get_status_display(), row.neph,
                row.snpc_state, " ; ".join(row.exams), row.title,
            ]
        )  # fmt: skip
    return response


def _safe(value: str) -> str:
    """No spreadsheet formula from what a person typed."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
