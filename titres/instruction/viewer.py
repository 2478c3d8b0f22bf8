"""Server-side rendering of a supporting document's pages to PNG for the
agents' viewer ("visionneuse"): PDF pages with PDFium (pypdfium2), images
(JPEG, PNG, BMP, multi-page TIFF) with Pillow. The browser never receives
the original file, only bitmaps, served by a view that checks rights."""

from __future__ import annotations

import io

from PIL import Image, ImageSequence

MAX_SIDE = 2400  # pixels: enough to read a scanned page at 200 %
RENDER_SCALE = 2.0  # PDF points → pixels (144 dpi)


class PageNotFound(LookupError):
    pass


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

        pdf = pdfium.PdfDocument(data)
        try:
            if page > len(pdf):
                raise PageNotFound(page)
            bitmap = pdf[page - 1].render(scale=RENDER_SCALE)
            return _to_png(bitmap.to_pil())
        finally:
            pdf.close()
    image = Image.open(io.BytesIO(data))
    frames = ImageSequence.Iterator(image)
    for index, frame in enumerate(frames, start=1):
        if index == page:
            return _to_png(frame.copy())
    raise PageNotFound(page)
