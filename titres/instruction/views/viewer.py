"""Pages of a document rendered as images for agents (antivirus passed only)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from titres.procedures.enums import DocumentStatus

from .. import services, viewer
from ..access import agent_demarches
from ..auth import agent_view

SCANNING = gettext_lazy(
    "Document en cours d’analyse antivirus : il sera consultable après l’analyse."
)


NOT_VIEWABLE = gettext_lazy("Ce document ne peut pas être affiché.")


def unavailable_reason(document) -> str:
    if document.status == DocumentStatus.EN_ANALYSE:
        return str(SCANNING)
    return str(NOT_VIEWABLE)


@agent_view
@never_cache
def document_page(request, pk, page):
    """One page of a document as PNG (rights checked, journaled)."""
    from titres.procedures.models import Document

    document = get_object_or_404(
        Document.objects.select_related("demarche").filter(
            demarche__in=agent_demarches(request.user).values("pk")
        ),
        pk=pk,
    )
    if document.status == DocumentStatus.INFECTE or not document.file:
        raise Http404
    if document.status != DocumentStatus.VALIDE:
        # Never render a file the antivirus has not passed.
        return HttpResponse(
            unavailable_reason(document),
            status=409,
            content_type="text/plain; charset=utf-8",
            headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
        )
    try:
        png = viewer.render_page(document, page)
    except viewer.PageNotFound:
        raise Http404
    services.record_document_view(document=document, user=request.user, request=request, page=page)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
