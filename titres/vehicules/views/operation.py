"""The address change's and the duplicate's pages after submission:
« Finalisation », the CPI (when a new certificate is coming) and the
accusé d'enregistrement. The payment pages are the change of holder's
(views/changement.py)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from titres.core import numbering
from titres.procedures.registry import find_procedure
from titres.procedures.selectors import demarches_owned_by

from ..certificat import adresse, duplicata
from ..documents.cpi_pdf import cpi_pdf, registry_holder
from ..documents.operation_pdf import operation_accuse_pdf
from ..models import CertificateOperation
from ..professionnels.mandate import filer_label
from .changement import _pdf, cpi_withdrawn

CODES = (adresse.CODE, duplicata.CODE)


def _operation(request, number) -> CertificateOperation:
    demarche = get_object_or_404(
        demarches_owned_by(request.user),
        number=numbering.normalize(number),
        procedure_code__in=CODES,
    )
    operation = (
        CertificateOperation.objects.select_related("vehicle", "demarche__owner")
        .filter(demarche=demarche)
        .first()
    )
    if operation is None:
        raise Http404
    return operation


def finalisation(request, number):
    operation = _operation(request, number)
    demarche = operation.demarche
    if demarche.is_draft:
        return redirect("procedures:resume", number=demarche.number)
    definition = find_procedure(demarche.procedure_code)
    return render(
        request,
        "vehicules/certificat/finalisation.html",
        {
            "operation": operation,
            "demarche": demarche,
            "definition": definition,
            "total": definition.stepper_total(demarche),
            "filer": filer_label(demarche),
            "plate_display": operation.vehicle.plate_display,
            "notices": definition.notices(demarche) if definition.notices else [],
        },
    )


def cpi(request, number):
    operation = _operation(request, number)
    if operation.demarche.is_draft or not operation.cpi_number:
        raise Http404
    if operation.reverted_at:  # withdrawn with the undone operation (certificat/decisions.py)
        return cpi_withdrawn(request, operation.demarche, operation)
    return _pdf(
        cpi_pdf(operation, holder=registry_holder(operation.vehicle)),
        f"cpi-{operation.cpi_number}.pdf",
    )


def accuse(request, number):
    operation = _operation(request, number)
    if operation.demarche.is_draft:
        raise Http404
    return _pdf(operation_accuse_pdf(operation), f"accuse-{operation.demarche.number}.pdf")
