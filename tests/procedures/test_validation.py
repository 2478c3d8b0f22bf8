"""Upload refusals: one test per bad-file kind, with the exact message, and
the draft left unchanged."""

import io
import zlib

import pytest
from PIL import Image

from titres.core.models import AuditEvent
from titres.procedures.models import Demarche
from titres.procedures.services import upload_document
from titres.procedures.validation import UploadRejected, inspect_upload

from . import samples
from .factories import DemarcheFactory, DocumentFactory

pytestmark = pytest.mark.django_db

NOT_ACCEPTED = "Format non accepté : le fichier doit être une image JPG, PNG, BMP, TIFF ou un PDF."
BROKEN_IMAGE = "L’image est endommagée ou illisible : elle n’a pas pu être décodée."
BROKEN_PDF = "Le fichier PDF est endommagé ou illisible."


def _inspect(content: bytes):
    return inspect_upload(io.BytesIO(content))


@pytest.mark.parametrize(
    ("content", "kind", "pages"),
    [
        (samples.png(), "png", 1),
        (samples.jpeg(), "jpeg", 1),
        (samples.bmp(), "bmp", 1),
        (samples.tiff(pages=3), "tiff", 3),
        (samples.pdf(pages=4), "pdf", 4),
    ],
)
def test_accepted_formats_and_page_counts(content, kind, pages):
    info = _inspect(content)
    assert (info.kind, info.pages, info.size) == (kind, pages, len(content))


def _refused(content: bytes) -> str:
    with pytest.raises(UploadRejected) as caught:
        _inspect(content)
    return caught.value.message


def test_empty_file():
    assert _refused(b"") == "Le fichier est vide."


def test_oversize_file(settings):
    content = samples.pdf() + b"%" * (11 * 1024 * 1024)
    assert _refused(content) == "Le fichier dépasse la taille maximale autorisée (11 Mo)."


@pytest.mark.parametrize(
    "content",
    [
        b"Bonjour, ceci est un texte.",
        b"GIF89a" + b"\x00" * 20,
        b"PK\x03\x04" + b"\x00" * 40,  # zip / docx
        b"<html><script>alert(1)</script></html>",
    ],
    ids=["texte", "gif", "zip", "html"],
)
def test_unaccepted_format(content):
    assert _refused(content) == NOT_ACCEPTED


def test_broken_pdf():
    assert _refused(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ngarbage") == BROKEN_PDF


def test_truncated_pdf():
    content = samples.pdf(pages=2)
    assert _refused(content[: len(content) // 2]) == BROKEN_PDF


def test_encrypted_pdf():
    assert _refused(samples.pdf(password="secret")) == (
        "Le PDF est protégé par un mot de passe ou chiffré : déposez une version non protégée."
    )


def test_pdf_with_too_many_pages():
    assert _refused(samples.pdf(pages=101)) == "Le PDF compte trop de pages (101, 100 au plus)."


def test_undecodable_png():
    content = samples.png()
    assert _refused(content[:8] + b"\x00" * 40) == BROKEN_IMAGE


def test_truncated_jpeg():
    content = samples.jpeg(size=(400, 300))
    assert _refused(content[: len(content) // 2]) == BROKEN_IMAGE


def test_corrupted_png_data():
    content = bytearray(samples.png(size=(200, 200)))
    content[60:80] = b"\xff" * 20  # inside IDAT
    assert _refused(bytes(content)) == BROKEN_IMAGE


def test_bmp_header_only():
    assert _refused(b"BM" + b"\x00" * 60) == BROKEN_IMAGE


def _png_bomb(width, height) -> bytes:
    """A 1-bit PNG whose pixels compress to almost nothing."""
    import struct

    def chunk(kind, data):
        return (
            struct.pack("!I", len(data))
            + kind
            + data
            + struct.pack("!I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack("!IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    data = zlib.compress(row * height, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def test_decompression_bomb():
    message = _refused(_png_bomb(30000, 30000))
    assert message == (
        "L’image est trop grande (plus de 50 millions de pixels) : "
        "réduisez sa résolution avant de la déposer."
    )


def test_frame_too_large_to_decode_is_refused_before_decoding():
    # 6000 x 4000 RGB: 24 Mpx but 72 MB decoded, PNG (no reduced decoding).
    buffer = io.BytesIO()
    Image.new("RGB", (6000, 4000)).save(buffer, "PNG", compress_level=9)
    assert _refused(buffer.getvalue()).startswith("L’image est trop grande")


def test_type_comes_from_content_not_name(toy_procedure):
    demarche = DemarcheFactory()
    document = upload_document(
        demarche=demarche,
        code="domicile",
        uploaded_file=samples.upload(samples.pdf(), name="photo.jpg", content_type="image/jpeg"),
        actor=demarche.owner,
    )
    assert document.content_type == "application/pdf"
    assert document.original_name == "photo.pdf"
    assert document.file.name.startswith("pieces/") and document.file.name.endswith(".pdf")
    assert "photo" not in document.file.name


def _unchanged(demarche, call):
    before = (
        Demarche.objects.get(pk=demarche.pk).updated_at,
        demarche.documents.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(UploadRejected) as caught:
        call()
    after = (
        Demarche.objects.get(pk=demarche.pk).updated_at,
        demarche.documents.count(),
        AuditEvent.objects.count(),
    )
    assert before == after
    return caught.value.message


def test_too_many_pages_for_the_rule_leaves_the_draft_unchanged():
    demarche = DemarcheFactory()
    message = _unchanged(
        demarche,
        lambda: upload_document(
            demarche=demarche,
            code="identite",
            uploaded_file=samples.upload(samples.pdf(pages=3)),
            actor=demarche.owner,
        ),
    )
    assert message == (
        "« Pièce d’identité » : 2 pages maximum (ce fichier en compte 3, 0 déjà déposée(s))."
    )


def test_pages_count_over_all_files_of_a_rule():
    demarche = DemarcheFactory()
    DocumentFactory(demarche=demarche, code="domicile", pages=4)
    message = _unchanged(
        demarche,
        lambda: upload_document(
            demarche=demarche,
            code="domicile",
            uploaded_file=samples.upload(samples.tiff(pages=2)),
            actor=demarche.owner,
        ),
    )
    assert message == (
        "« Justificatif de domicile de moins de 3 mois » : 5 pages maximum "
        "(ce fichier en compte 2, 4 déjà déposée(s))."
    )


def test_bad_file_leaves_the_draft_unchanged():
    demarche = DemarcheFactory()
    message = _unchanged(
        demarche,
        lambda: upload_document(
            demarche=demarche,
            code="domicile",
            uploaded_file=samples.upload(samples.pdf(password="x")),
            actor=demarche.owner,
        ),
    )
    assert message.startswith("Le PDF est protégé")


def test_unknown_rule_is_refused():
    demarche = DemarcheFactory()
    message = _unchanged(
        demarche,
        lambda: upload_document(
            demarche=demarche,
            code="declaration_vol",  # only expected for a theft
            uploaded_file=samples.upload(samples.pdf()),
            actor=demarche.owner,
        ),
    )
    assert message == "Cette pièce n’est pas attendue pour cette démarche."


PAGE_SIZE = (
    "Une page du PDF a un format impossible pour un document (chaque côté doit mesurer "
    "entre 13 mm et 60 cm) : numérisez ou exportez le document au format A4."
)
ACTIVE = (
    "Le PDF contient du contenu actif (script, action automatique, formulaire ou fichier "
    "joint) : imprimez-le en PDF ou numérisez-le, puis déposez ce nouveau fichier."
)


@pytest.mark.parametrize(
    "mediabox",
    ["[0 0 14400 14400]", "[0 0 200000 200000]", "[0 0 595 1800]", "[0 0 10 842]", "[0 0 0 0]"],
)
def test_pdf_page_of_impossible_size_is_refused(mediabox):
    # The review's memory bomb: 334 bytes announcing a 5-metre page.
    assert _refused(samples.raw_pdf(mediabox=mediabox)) == PAGE_SIZE


def test_pdf_page_size_counts_user_unit():
    # /UserUnit 10 makes an A4 MediaBox ten times larger.
    assert _refused(samples.raw_pdf(page_extra="/UserUnit 10")) == PAGE_SIZE


def test_pdf_crop_box_is_checked_too():
    assert _refused(samples.raw_pdf(page_extra="/CropBox [0 0 9000 9000]")) == PAGE_SIZE


@pytest.mark.parametrize("mediabox", ["[0 0 595 842]", "[0 0 842 1191]", "[0 0 1191 1684]"])
def test_pdf_pages_up_to_a2_are_accepted(mediabox):
    assert _inspect(samples.raw_pdf(mediabox=mediabox)).pages == 1


@pytest.mark.parametrize(
    "catalog_extra",
    [
        "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        # Hex-escaped names are the same names once decoded.
        "/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>",
        "/AA << /WC << /S /Launch /F (cmd.exe) >> >>",
        "/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (x) >>] >> >>",
        "/Names << /EmbeddedFiles << /Names [] >> >>",
        "/AcroForm << /Fields [] /XFA [] >>",
    ],
)
def test_pdf_with_active_content_is_refused(catalog_extra):
    assert _refused(samples.raw_pdf(catalog_extra=catalog_extra)) == ACTIVE


def test_pdf_with_active_annotation_is_refused():
    annotation = "/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch >> >>]"
    assert _refused(samples.raw_pdf(page_extra=annotation)) == ACTIVE


def test_pdf_opening_at_a_page_or_with_links_is_accepted():
    catalog = "/OpenAction [3 0 R /Fit]"
    link = "/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://a.fr) >> >>]"
    assert _inspect(samples.raw_pdf(catalog_extra=catalog, page_extra=link)).pages == 1
