"""The stamp as a PDF people can print: number, purpose, amount, validity
and a QR code holding the number."""

import io

from django.utils import timezone
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from .enums import StampPurpose


def _amount(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    return f"{euros},{rest:02d} €"


def render_stamp_pdf(stamp) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"Timbre fiscal électronique {stamp.number}")
    pdf.setAuthor("Agence nationale des titres sécurisés")
    width, height = A4
    left = 20 * mm
    top = height - 25 * mm

    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(left, top, "RÉPUBLIQUE FRANÇAISE")
    pdf.setFont("Helvetica", 9)
    pdf.drawString(left, top - 5 * mm, "Agence nationale des titres sécurisés")

    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(left, top - 20 * mm, "Timbre fiscal électronique")

    rows = [
        ("Numéro du timbre", stamp.number),
        ("Motif", str(StampPurpose(stamp.purpose).label)),
        ("Montant", _amount(stamp.amount_cents)),
        ("Acheté le", timezone.localtime(stamp.purchased_at).strftime("%d/%m/%Y à %H:%M")),
        ("Valable jusqu'au", timezone.localtime(stamp.valid_until).strftime("%d/%m/%Y")),
    ]
    y = top - 35 * mm
    for label, value in rows:
        pdf.setFont("Helvetica", 10)
        pdf.drawString(left, y, label)
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawString(left + 45 * mm, y, value)
        y -= 9 * mm

    widget = QrCodeWidget(stamp.number, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    size = 40 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, width - left - size, top - 75 * mm)

    pdf.setFont("Helvetica", 9)
    notes = [
        "Conservez ce numéro : il vous sera demandé lors de votre démarche en ligne.",
        "Le timbre est valable 12 mois à compter de son achat et ne peut servir qu'une fois.",
        "Un timbre non utilisé et encore valable peut être remboursé sur demande.",
        "Vérifiez l'état de ce timbre sur le portail, rubrique « Timbres électroniques ».",
    ]
    y -= 10 * mm
    for line in notes:
        pdf.drawString(left, y, line)
        y -= 5 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
