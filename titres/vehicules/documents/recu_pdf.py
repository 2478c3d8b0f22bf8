"""The receipt of the tax payment ("Imprimer le reçu", seed 003)."""

from django.utils import timezone
from reportlab.lib.units import mm

from titres.core.pdf import Document, Writer, amount
from titres.paiements.enums import LedgerKind


def receipt_pdf(record, payment) -> bytes:
    doc = Document("Reçu de paiement des taxes", subject=payment.reference)
    doc.letterhead(20 * mm, doc.height - 20 * mm)
    w = Writer(doc, doc.height - 38 * mm)
    w.title("Reçu de paiement des taxes d’immatriculation")
    w.row("Transaction n°", payment.reference)
    w.row("Identifiant commerçant", payment.merchant_id)
    w.row("Payé le", timezone.localtime(payment.settled_at).strftime("%d/%m/%Y à %H:%M"))
    w.row("Démarche n°", record.demarche.display_number)
    w.row("Véhicule", record.vehicle.plate_display)
    w.section("Détail")
    for line in (record.taxes or {}).get("lines", []):
        w.row(f"{line['code']} — {line['label']}", amount(line["amount_cents"]))
    w.row("Total payé", amount(payment.amount_cents))
    # A refunded payment's receipt says so: taxes given back (a withdrawn
    # file, a filing refused after payment) must not read as still paid.
    refund = (
        payment.ledger_entries.filter(kind=LedgerKind.REMBOURSEMENT_FRAIS)
        .order_by("created_at")
        .first()
    )
    if refund is not None:
        w.section("Remboursement")
        w.row("Remboursé le", timezone.localtime(refund.created_at).strftime("%d/%m/%Y à %H:%M"))
        w.row("Montant remboursé", amount(refund.amount_cents))
    return doc.bytes()
