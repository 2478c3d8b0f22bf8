"""Server-side rendering of a supporting document's pages to PNG for the
agents' viewer ("visionneuse"): PDF pages with PDFium (pypdfium2), images
(JPEG, PNG, BMP, multi-page TIFF) with Pillow. The browser never receives
the original file, only bitmaps, served by a view that checks rights."""

from __future__ import annotations

import io

from PIL import Image, ImageSequence, UnidentifiedImageError

from titres.procedures.validation import MAX_PIXELS

MAX_SIDE = 2400  # pixels: enough to read a scanned page at 200 %
RENDER_SCALE = 2.0  # PDF points → pixels (144 dpi)
# Whatever a file says about its size, nothing larger than MAX_SIDE x
# MAX_SIDE is ever allocated: the PDF scale is chosen from the page size
# before rendering, and an image frame larger than the upload limit (files
# stored before that limit existed) is refused without being decoded.
MAX_SOURCE_PIXELS = MAX_PIXELS


class PageNotFound(LookupError):
    pass


class PageUnreadable(PageNotFound):
    """The page exists but cannot be rendered within bounded memory (or the
    file does not decode): for the view, like a missing page, nothing to show."""


def pdf_scale(width: float, height: float) -> float:
    """Points → pixels, so that the longest side fits MAX_SIDE."""
    longest = max(abs(width), abs(height), 1.0)
    return min(RENDER_SCALE, MAX_SIDE / longest)


def _read(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _to_png(image: Image.Image) -> bytes:
    if image.mode not in {"RGB", "L", "RGBA"}:
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


def page_count(document) -> int:
    return max(int(document.pages or 1), 1)


def render_page(document, page: int) -> bytes:
    """PNG bytes of page `page` (1-based) of `document`."""
    if page < 1 or page > page_count(document):
        raise PageNotFound(page)
    data = _read(document)
    if document.content_type == "application/pdf" or data[:5] == b"%PDF-":
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            raise PageUnreadable(page)
        try:
            if page > len(pdf):
                raise PageNotFound(page)
            pdf_page = pdf[page - 1]
            width, height = pdf_page.get_size()
            bitmap = pdf_page.render(scale=pdf_scale(width, height))
            return _to_png(bitmap.to_pil())
        finally:
            pdf.close()
    try:
        image = Image.open(io.BytesIO(data))
        for index, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if index == page:
                width, height = frame.size
                if width * height > MAX_SOURCE_PIXELS:
                    raise PageUnreadable(page)
                if image.format == "JPEG":
                    # Decoded directly at a reduced scale, never at full size.
                    frame.draft(frame.mode, (MAX_SIDE, MAX_SIDE))
                return _to_png(frame.copy())
    except (Image.DecompressionBombError, UnidentifiedImageError, OSError, SyntaxError):
        raise PageUnreadable(page)
    raise PageNotFound(page)
