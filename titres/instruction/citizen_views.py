from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from titres.core import numbering
from titres.core.journal import record_event
from titres.instruction.audit import InstructionEvent
from titres.procedures.selectors import demarches_owned_by

from . import attestation


def attestation_view(request, number):
    """The citizen downloads the "attestation provisoire de droits à
    conduire" of their validated licence request."""
    demarche = get_object_or_404(
        demarches_owned_by(request.user), number=numbering.normalize(number)
    )
    if not attestation.is_available(demarche):
        raise Http404
    pdf = attestation.render(demarche)
    record_event(
        InstructionEvent.ATTESTATION_DOWNLOADED,
        actor=request.user,
        request=request,
        target=demarche,
        data={"demarche": demarche.number},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="attestation-provisoire-{demarche.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
