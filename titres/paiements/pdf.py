"""The stamp as a PDF people can print: number, purpose, amount, validity
and a QR code holding the number."""

from django.utils import timezone
from reportlab.lib.units import mm

from titres.core.pdf import Document, amount

from .enums import StampPurpose


def render_stamp_pdf(stamp) -> bytes:
    document = Document(f"Timbre fiscal électronique {stamp.number}")
    pdf = document.canvas
    left = 20 * mm
    top = document.height - 25 * mm
    document.letterhead(left, top)

    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(left, top - 20 * mm, "Timbre fiscal électronique")

    rows = [
        ("Numéro du timbre", stamp.number),
        ("Motif", str(StampPurpose(stamp.purpose).label)),
        ("Montant", amount(stamp.amount_cents)),
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

    size = 40 * mm
    document.qr_code(stamp.number, document.width - left - size, top - 75 * mm, size)

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
    return document.bytes()
