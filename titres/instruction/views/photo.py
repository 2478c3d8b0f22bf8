"""The photo and signature of a file's applicant, as the file's procedure
gives them (`ProcedureDefinition.photo`)."""

from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache

from titres.core.journal import record_event
from titres.instruction.audit import InstructionEvent
from titres.procedures.hooks import photo_of

from ..auth import agent_view
from .common import file_of


@agent_view
@never_cache
def ephoto_image(request, number, kind):
    if kind not in {"photo", "signature"}:
        raise Http404
    demarche = file_of(request, number)
    photo = photo_of(demarche)
    field = (photo.image if kind == "photo" else photo.signature) if photo else None
    if not field:
        raise Http404
    record_event(
        InstructionEvent.PHOTO_VIEWED,
        actor=request.user,
        request=request,
        target=photo.target,
        data={"demarche": demarche.number, "element": kind},
    )
    with field.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(
        data,
        content_type="image/jpeg"
        if field.name.lower().endswith((".jpg", ".jpeg"))
        else "image/png",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
