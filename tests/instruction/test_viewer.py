"""Server-side rendering of document pages for the viewer."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from titres.instruction import viewer

from .factories import DocumentFactory, PermisDemarcheFactory

pytestmark = pytest.mark.django_db


def _pdf(pages=2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=300)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _tiff(pages=3) -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("L", (50, 70), 100 + i) for i in range(pages)]
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def _png_size(data):
    return Image.open(io.BytesIO(data)).size


def test_pdf_pages_are_rendered(authority):
    document = DocumentFactory(
        demarche=PermisDemarcheFactory(submitted=True, authority=authority),
        file=ContentFile(_pdf(), name="piece.pdf"),
        content_type="application/pdf",
        pages=2,
    )
    assert _png_size(viewer.render_page(document, 2)) == (400, 600)
    with pytest.raises(viewer.PageNotFound):
        viewer.render_page(document, 3)


def test_tiff_pages_are_rendered(authority):
    document = DocumentFactory(
        demarche=PermisDemarcheFactory(submitted=True, authority=authority),
        file=ContentFile(_tiff(), name="piece.tif"),
        content_type="image/tiff",
        pages=3,
    )
    assert _png_size(viewer.render_page(document, 3)) == (50, 70)


def test_viewer_beside_the_data_with_navigation(agent_client, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    first = DocumentFactory(
        demarche=demarche,
        label="Justificatif de domicile",
        file=ContentFile(_pdf(), name="p.pdf"),
        content_type="application/pdf",
        pages=2,
    )
    second = DocumentFactory(demarche=demarche, code="identite", label="Pièce d’identité")
    url = reverse("instruction:detail", args=[demarche.number])
    content = agent_client.get(url).content.decode()
    assert 'data-pages="2"' in content and "Document suivant" in content
    assert reverse("instruction:document_page", args=[first.pk, 1]) in content
    content = agent_client.get(url + f"?piece={second.pk}").content.decode()
    assert "Document précédent" in content
    assert (
        agent_client.get(reverse("instruction:document_page", args=[first.pk, 2])).status_code
        == 200
    )
    assert (
        agent_client.get(reverse("instruction:document_page", args=[first.pk, 3])).status_code
        == 404
    )


def test_document_in_analysis_is_never_rendered(agent_client, authority):
    from titres.core.models import AuditEvent
    from titres.procedures.enums import DocumentStatus

    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    pending = DocumentFactory(demarche=demarche, status=DocumentStatus.EN_ANALYSE)
    content = agent_client.get(reverse("instruction:detail", args=[demarche.number])).text
    assert "Document en cours d’analyse antivirus" in content
    assert reverse("instruction:document_page", args=[pending.pk, 1]) not in content
    assert "data-page-url" not in content
    response = agent_client.get(reverse("instruction:document_page", args=[pending.pk, 1]))
    assert response.status_code == 409
    assert "Document en cours d’analyse antivirus" in response.text
    assert not AuditEvent.objects.filter(
        event="procedures.document_viewed", object_id=str(pending.pk)
    ).exists()
    # Once the antivirus passed it, it is shown.
    pending.status = DocumentStatus.VALIDE
    pending.save(update_fields=["status"])
    response = agent_client.get(reverse("instruction:document_page", args=[pending.pk, 1]))
    assert response.status_code == 200


@pytest.mark.parametrize("side", [14400, 200000])
def test_pdf_with_a_huge_page_renders_to_a_bounded_bitmap(authority, side):
    # Stored before the upload limit existed (or by another door): the
    # viewer must not believe the page size.
    from tests.procedures import samples

    document = DocumentFactory(
        demarche=PermisDemarcheFactory(submitted=True, authority=authority),
        file=ContentFile(samples.raw_pdf(mediabox=f"[0 0 {side} {side}]"), name="bombe.pdf"),
        content_type="application/pdf",
        pages=1,
    )
    width, height = _png_size(viewer.render_page(document, 1))
    assert max(width, height) <= viewer.MAX_SIDE


def test_oversized_image_frame_is_not_decoded(authority, monkeypatch):
    monkeypatch.setattr(viewer, "MAX_SOURCE_PIXELS", 50 * 70 - 1)
    document = DocumentFactory(
        demarche=PermisDemarcheFactory(submitted=True, authority=authority),
        file=ContentFile(_tiff(pages=1), name="piece.tif"),
        content_type="image/tiff",
        pages=1,
    )
    with pytest.raises(viewer.PageUnreadable):
        viewer.render_page(document, 1)


def test_unreadable_pdf_page_answers_404_not_500(agent_client, authority):
    document = DocumentFactory(
        demarche=PermisDemarcheFactory(submitted=True, authority=authority),
        file=ContentFile(b"%PDF-1.7 garbage", name="casse.pdf"),
        content_type="application/pdf",
        pages=1,
    )
    url = reverse("instruction:document_page", args=[document.pk, 1])
    assert agent_client.get(url).status_code == 404
