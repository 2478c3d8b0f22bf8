"""Inspection of uploaded files: the type is read from the content, never
from the name, and the file is actually decoded (Pillow, pypdf) with guards
against decompression bombs. Every refusal carries a precise French message.

Memory stays bounded: PDFs are parsed lazily (no content stream is
rendered), JPEGs are decoded at 1/8 scale through `draft`, other images one
frame at a time, and frames larger than MAX_PIXELS are refused before
decoding.
"""

import hashlib
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, UnidentifiedImageError

from . import conf

MAX_PIXELS = 50_000_000  # per frame: A4 at 600 dpi is ~35 Mpx
MAX_DECODED_BYTES = 64 * 1024 * 1024  # per decoded frame (JPEG is decoded reduced)
MAX_PDF_PAGES = 100
# The largest page a supporting document comes on is an A3 scan (297 x 420
# mm); A2 (420 x 594 mm, 1191 x 1684 pt) leaves room for odd scanner sizes.
# A page is only a header saying how big to draw it: a 334-byte PDF can
# announce 14,400 x 14,400 pt (5 m), which the viewer would turn into a
# multi-gigabyte bitmap. Each side must lie between MIN and MAX points
# (1 pt = 1/72 inch), after /UserUnit scaling.
MAX_PAGE_SIDE_POINTS = 1700
MIN_PAGE_SIDE_POINTS = 36  # half an inch: nothing readable is smaller
# Walking the object graph for active content stops here: a real scan has a
# few hundred objects; a file with more is refused as too complex.
MAX_PDF_OBJECTS = 20_000
# Names that make a PDF do something when opened or clicked (scripts,
# launching programs, submitting forms, embedded files, XFA forms, media).
# The agents' viewer only shows bitmaps, but the file itself is kept and may
# be opened by a PDF reader one day: it is refused rather than kept armed.
ACTIVE_PDF_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA"})
# Values of /S (action type) and /Subtype (annotation) that are active; the
# walk reaches every action, /OpenAction and /AA (additional actions) included.
ACTIVE_PDF_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/RichMediaExecute",
        "/GoToE",
        "/GoToR",
        "/Rendition",
        "/Sound",
        "/Movie",
    }
)
ACTIVE_PDF_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"})
ACCEPTED_FORMATS = "JPG, PNG, BMP, TIFF, PDF"


class UploadRejected(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FileInfo:
    kind: str  # "pdf", "jpeg", "png", "bmp", "tiff"
    content_type: str
    extension: str
    pages: int
    size: int
    sha256: str


SIGNATURES = [
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"BM", "bmp"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
]
TYPES = {
    "pdf": ("application/pdf", ".pdf"),
    "jpeg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
    "bmp": ("image/bmp", ".bmp"),
    "tiff": ("image/tiff", ".tif"),
}
PILLOW_FORMATS = {"jpeg": {"JPEG", "MPO"}, "png": {"PNG"}, "bmp": {"BMP", "DIB"}, "tiff": {"TIFF"}}


def _not_accepted() -> UploadRejected:
    return UploadRejected(
        _("Format non accepté : le fichier doit être une image JPG, PNG, BMP, TIFF ou un PDF.")
    )


def sniff(head: bytes) -> str | None:
    """The kind announced by the first bytes, or None."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def _sha256(fileobj) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def _too_big_image() -> UploadRejected:
    return UploadRejected(
        _(
            "L’image est trop grande (plus de %(mpx)s millions de pixels) : "
            "réduisez sa résolution avant de la déposer."
        )
        % {"mpx": MAX_PIXELS // 1_000_000}
    )


def _broken_image() -> UploadRejected:
    return UploadRejected(_("L’image est endommagée ou illisible : elle n’a pas pu être décodée."))


def _page_too_big() -> UploadRejected:
    return UploadRejected(
        _(
            "Une page du PDF a un format impossible pour un document (chaque côté doit mesurer "
            "entre 13 mm et 60 cm) : numérisez ou exportez le document au format A4."
        )
    )


def _check_page_size(page) -> None:
    unit = float(page.get("/UserUnit", 1) or 1)
    for box in (page.mediabox, page.cropbox):
        for side in (float(box.width) * unit, float(box.height) * unit):
            if not MIN_PAGE_SIDE_POINTS <= abs(side) <= MAX_PAGE_SIDE_POINTS:
                raise _page_too_big()


def _active_content() -> UploadRejected:
    return UploadRejected(
        _(
            "Le PDF contient du contenu actif (script, action automatique, formulaire ou fichier "
            "joint) : imprimez-le en PDF ou numérisez-le, puis déposez ce nouveau fichier."
        )
    )


def _refuse_active_content(reader) -> None:
    """Walk every object reachable from the trailer (names are compared
    decoded, so `/J#61vaScript` is `/JavaScript`; compressed object streams
    are read by pypdf) and refuse the first active one."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            node = node.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise UploadRejected(_("Le fichier PDF est trop complexe pour être vérifié."))
        if isinstance(node, DictionaryObject):
            for key, value in node.items():
                if key in ACTIVE_PDF_KEYS:
                    raise _active_content()
                if isinstance(value, NameObject) and (
                    (key == "/S" and value in ACTIVE_PDF_ACTIONS)
                    or (key == "/Subtype" and value in ACTIVE_PDF_ANNOTATIONS)
                ):
                    raise _active_content()
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def inspect_pdf(fileobj) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    fileobj.seek(0)
    try:
        reader = PdfReader(fileobj, strict=True)
        if reader.is_encrypted:
            raise UploadRejected(
                _(
                    "Le PDF est protégé par un mot de passe ou chiffré : "
                    "déposez une version non protégée."
                )
            )
        # The declared count guards against huge page trees before walking them.
        declared = int(reader.trailer["/Root"]["/Pages"].get("/Count", 0))
        if declared > MAX_PDF_PAGES:
            raise UploadRejected(
                _("Le PDF compte trop de pages (%(count)s, %(max)s au plus).")
                % {"count": declared, "max": MAX_PDF_PAGES}
            )
        pages = len(reader.pages)
        for page in reader.pages:
            _check_page_size(page)
        _refuse_active_content(reader)
    except UploadRejected:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, OSError, RecursionError):
        raise UploadRejected(_("Le fichier PDF est endommagé ou illisible."))
    if pages < 1:
        raise UploadRejected(_("Le fichier PDF ne contient aucune page."))
    return pages


def inspect_image(fileobj, kind: str) -> int:
    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj) as image:
                if image.format not in PILLOW_FORMATS[kind]:
                    raise _not_accepted()
                frames = getattr(image, "n_frames", 1) or 1
                if kind == "tiff" and frames > MAX_PDF_PAGES:
                    raise UploadRejected(
                        _("Le fichier TIFF compte trop de pages (%(count)s, %(max)s au plus).")
                        % {"count": frames, "max": MAX_PDF_PAGES}
                    )
                for index in range(frames if kind == "tiff" else 1):
                    if index:
                        image.seek(index)
                    width, height = image.size
                    if width * height > MAX_PIXELS:
                        raise _too_big_image()
                    if kind == "jpeg":
                        # Decodes the whole entropy-coded stream at 1/8 scale.
                        image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                    else:
                        bands = len(image.getbands())
                        if width * height * bands > MAX_DECODED_BYTES:
                            raise _too_big_image()
                    image.load()
                    # Release the decoded frame before the next one.
                    image.im = None  # type: ignore[assignment]
                return frames if kind == "tiff" else 1
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_big_image()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError):
        raise _broken_image()


def inspect_upload(fileobj, *, size: int | None = None) -> FileInfo:
    """Check an uploaded file (any binary file object) and describe it.

    Raises UploadRejected with the message to show."""
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
    if size == 0:
        raise UploadRejected(_("Le fichier est vide."))
    limit = conf.max_upload_bytes()
    if size > limit:
        raise UploadRejected(
            _("Le fichier dépasse la taille maximale autorisée (%(max)s Mo).")
            % {"max": limit // (1024 * 1024)}
        )
    fileobj.seek(0)
    head = fileobj.read(1024)
    kind = sniff(head)
    if kind is None:
        raise _not_accepted()
    pages = inspect_pdf(fileobj) if kind == "pdf" else inspect_image(fileobj, kind)
    content_type, extension = TYPES[kind]
    return FileInfo(
        kind=kind,
        content_type=content_type,
        extension=extension,
        pages=pages,
        size=size,
        sha256=_sha256(fileobj),
    )


def infected_message(label: str) -> str:
    """The refusal of a file the antivirus found infected (never kept)."""
    return _("« %(label)s » : un fichier infecté a été supprimé, déposez-en un autre.") % {
        "label": label
    }


def pages_message(label: str, max_pages: int, pages: int, existing: int) -> str:
    return ngettext(
        "« %(label)s » : %(max)s page maximum (ce fichier en compte %(pages)s, "
        "%(existing)s déjà déposée(s)).",
        "« %(label)s » : %(max)s pages maximum (ce fichier en compte %(pages)s, "
        "%(existing)s déjà déposée(s)).",
        max_pages,
    ) % {"label": label, "max": max_pages, "pages": pages, "existing": existing}
