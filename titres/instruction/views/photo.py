"""The e-photo and signature of a file's applicant."""

from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache

from titres.core.journal import record_event
from titres.instruction.audit import InstructionEvent

from ..auth import agent_view
from .common import file_of


def ephoto_of(demarche):
    from ..search import _get

    code = _get(
        demarche.answers or {},
        "photo.code_ephoto",
        "photo.ephoto",
        "photo.code",
        "photo_signature.code_ephoto",
        "ephoto.code",
    )
    if not code:
        return "", None
    try:
        from titres.permis.identifiers import compact
        from titres.permis.models import EPhoto
    except ImportError:  # pragma: no cover
        return str(code), None
    return str(code), EPhoto.objects.filter(code=compact(str(code))).first()


@agent_view
@never_cache
def ephoto_image(request, number, kind):
    if kind not in {"photo", "signature"}:
        raise Http404
    demarche = file_of(request, number)
    _code, ephoto = ephoto_of(demarche)
    field = getattr(ephoto, "image" if kind == "photo" else "signature", None) if ephoto else None
    if not field:
        raise Http404
    record_event(
        InstructionEvent.PHOTO_VIEWED,
        actor=request.user,
        request=request,
        target=ephoto,
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
