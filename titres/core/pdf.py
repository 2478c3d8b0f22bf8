"""Printable A4 documents (stamp, receipts, attestations): the page, the
State letterhead and a QR code, drawn the same way by every app.

Imported lazily by callers that are loaded at start-up: reportlab is heavy."""

import io

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from titres.core import twoddoc

AGENCY = "Agence nationale des titres sécurisés"


class Document:
    """One A4 page being drawn on `canvas`; `bytes()` closes it."""

    def __init__(self, title: str, *, author: str = AGENCY, subject: str | None = None):
        self._buffer = io.BytesIO()
        self.canvas = canvas.Canvas(self._buffer, pagesize=A4)
        self.canvas.setTitle(title)
        self.canvas.setAuthor(author)
        if subject is not None:
            self.canvas.setSubject(subject)
        self.width, self.height = A4

    def letterhead(self, left: float, top: float, *, agency: bool = True) -> None:
        self.canvas.setFont("Helvetica-Bold", 11)
        self.canvas.drawString(left, top, "RÉPUBLIQUE FRANÇAISE")
        if agency:
            self.canvas.setFont("Helvetica", 9)
            self.canvas.drawString(left, top - 5 * mm, AGENCY)

    def qr_code(self, value: str, x: float, y: float, size: float) -> None:
        """A square QR code (error correction M) holding `value`, its lower
        left corner at (x, y)."""
        image = io.BytesIO()
        segno.make(value, error="m").save(image, kind="png", scale=6, border=2)
        image.seek(0)
        self.canvas.drawImage(ImageReader(image), x, y, size, size)

    def bytes(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self._buffer.getvalue()


def amount(cents: int) -> str:
    """An amount for the PDF's standard fonts, which lack the narrow no-break
    space of `titres.paiements.models.format_amount`: 86,00 €."""
    euros, rest = divmod(cents, 100)
    return f"{euros},{rest:02d} €"


LEFT = 20 * mm
LINE = 5.2 * mm


class Writer:
    """Writes labelled lines down an A4 page of a `Document` (vehicle
    certificates, the CEPC): title, sections, label/value rows, a 2D-Doc."""

    def __init__(self, document, top: float):
        self.doc = document
        self.canvas = document.canvas
        self.y = top

    def title(self, text: str, size: int = 15) -> None:
        self.canvas.setFont("Helvetica-Bold", size)
        self.canvas.drawString(LEFT, self.y, text)
        self.y -= LINE * 1.6

    def section(self, text: str) -> None:
        self.y -= LINE * 0.4
        self.canvas.setFont("Helvetica-Bold", 11)
        self.canvas.drawString(LEFT, self.y, text)
        self.canvas.line(LEFT, self.y - 1.5 * mm, self.doc.width - LEFT, self.y - 1.5 * mm)
        self.y -= LINE * 1.3

    def row(self, label: str, value) -> None:
        self.canvas.setFont("Helvetica", 9)
        self.canvas.drawString(LEFT, self.y, str(label))
        self.canvas.setFont("Helvetica-Bold", 9)
        self.canvas.drawString(
            LEFT + 62 * mm, self.y, str(value if value not in (None, "") else "—")[:80]
        )
        self.y -= LINE

    def text(self, value: str, size: int = 8) -> None:
        self.canvas.setFont("Helvetica", size)
        for line in _wrap(value, 110 if size <= 8 else 95):
            self.canvas.drawString(LEFT, self.y, line)
            self.y -= size * 0.45 * mm + 2.2 * mm

    def twoddoc(self, text: str, *, size: float = 32 * mm) -> None:
        """The 2D-Doc top right, with its caption."""
        x = self.doc.width - LEFT - size
        y = self.doc.height - 18 * mm - size
        twoddoc.datamatrix.draw(self.doc, text, x, y, size)
        self.canvas.setFont("Helvetica", 6)
        self.canvas.drawString(x, y - 3 * mm, "2D-Doc signé — vérifiable hors ligne")


def _wrap(text: str, width: int) -> list[str]:
    words, lines, current = str(text).split(), [], ""
    for word in words:
        if len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines
