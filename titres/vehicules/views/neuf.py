"""The new vehicle's registration after submission: « Finalisation » (the
number allotted, the CPI), the CPI and the accusé d'enregistrement. The payment pages are the change of
holder's (views/changement.py, through changement.payment.PAYABLE)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from titres.core import numbering
from titres.procedures.registry import find_procedure
from titres.procedures.selectors import demarches_owned_by

from ..documents.accuse_pdf import new_vehicle_accuse_pdf
from ..documents.cpi_pdf import cpi_pdf, registry_holder
from ..neuf.models import NewRegistration
from ..neuf.procedure import CODE
from ..professionnels.access import pro_required
from ..professionnels.mandate import filer_label
from .changement import _pdf, cpi_withdrawn


def _record(request, number) -> NewRegistration:
    demarche = get_object_or_404(
        demarches_owned_by(request.user), number=numbering.normalize(number), procedure_code=CODE
    )
    record = (
        NewRegistration.objects.select_related("vehicle", "demarche__owner")
        .filter(demarche=demarche)
        .first()
    )
    if record is None:
        raise Http404
    return record


@pro_required
def finalisation(request, number):
    record = _record(request, number)
    demarche = record.demarche
    if demarche.is_draft:
        return redirect("procedures:resume", number=demarche.number)
    definition = find_procedure(CODE)
    return render(
        request,
        "vehicules/neuf/finalisation.html",
        {
            "record": record,
            "demarche": demarche,
            "definition": definition,
            "total": definition.stepper_total(demarche),
            "filer": filer_label(demarche),
            "holder": record.vehicle.titulaire if record.vehicle else None,
            "notices": definition.notices(demarche),
        },
    )


@pro_required
def cpi(request, number):
    record = _record(request, number)
    if record.demarche.is_draft or not record.cpi_number or record.vehicle is None:
        raise Http404
    if record.withdrawn_at:  # a rejected or abandoned file's CPI (neuf/decisions.py)
        return cpi_withdrawn(request, record.demarche, record)
    return _pdf(
        cpi_pdf(record, holder=registry_holder(record.vehicle)), f"cpi-{record.cpi_number}.pdf"
    )


@pro_required
def accuse(request, number):
    record = _record(request, number)
    if record.demarche.is_draft or record.vehicle is None:
        raise Http404
    return _pdf(new_vehicle_accuse_pdf(record), f"accuse-{record.demarche.number}.pdf")
