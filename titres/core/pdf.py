"""Printable A4 documents (stamp, receipts, attestations): the page, the
State letterhead and a QR code, drawn the same way by every app.

Imported lazily by callers that are loaded at start-up: reportlab is heavy."""

import io

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

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
