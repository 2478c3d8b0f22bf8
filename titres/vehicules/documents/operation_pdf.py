"""« Récapitulatif de la demande » / « Accusé d'enregistrement » of an
address change or a duplicate, with the numéro de démarche."""

from django.utils import timezone
from reportlab.lib.units import mm

from titres.core.pdf import Document, Writer, amount

from ..enums import CertificateOperationKind
from ..professionnels.mandate import filer_label
from .accuse_pdf import withdrawn_sentence
from .cpi_pdf import registry_holder


def _undone_follow(operation, duplicate: bool) -> str:
    if not operation.registry_restored:
        text = (
            "Le véhicule a fait l’objet d’une autre opération depuis le dépôt de la demande : le "
            "système d’immatriculation reste tel que cette opération l’a laissé."
        )
    elif duplicate:
        text = (
            "Le duplicata n’est pas établi : le certificat d’immatriculation "
            f"{operation.old_formule or operation.vehicle.plate_display} est de nouveau valable."
        )
    else:
        text = (
            "Le changement d’adresse est annulé dans le système d’immatriculation des véhicules : "
            "l’adresse inscrite sur la carte grise redevient l’ancienne adresse"
            + (", aucune étiquette n’est envoyée." if operation.label_number else ".")
        )
        if operation.new_certificate:
            text += " Aucune nouvelle carte grise n’est établie."
    if operation.cpi_number:
        text += (
            f" Le certificat provisoire (CPI) n° {operation.cpi_number} est retiré et ne vaut plus "
            "titre de circulation."
        )
    if operation.paid_at:
        text += " Les taxes payées sont remboursées sur la carte bancaire qui a servi au paiement."
    return text


def operation_accuse_pdf(operation) -> bytes:
    demarche = operation.demarche
    vehicle = operation.vehicle
    holder = registry_holder(vehicle)
    duplicate = operation.kind == CertificateOperationKind.DUPLICATA
    doc = Document("Accusé d’enregistrement", subject=demarche.display_number)
    doc.letterhead(20 * mm, doc.height - 20 * mm)
    w = Writer(doc, doc.height - 38 * mm)
    doc.qr_code(demarche.display_number, doc.width - 50 * mm, doc.height - 50 * mm, 30 * mm)
    w.title("Récapitulatif de la demande — Accusé d’enregistrement")
    w.row("Numéro de votre démarche", demarche.display_number)
    w.row(
        "Démarche",
        "Duplicata du certificat d’immatriculation"
        if duplicate
        else "Changement d’adresse sur le certificat d’immatriculation",
    )
    w.row("Enregistrée le", timezone.localtime(demarche.submitted_at).strftime("%d/%m/%Y à %H:%M"))
    w.row("Statut", demarche.get_status_display())
    w.section("Véhicule")
    w.row("Numéro d’immatriculation", vehicle.plate_display)
    w.row("VIN", vehicle.vin)
    w.row("Marque et modèle", f"{vehicle.make} {vehicle.commercial_name}")
    w.section("Titulaire")
    if holder["company"]:
        w.row("Raison sociale", holder["company"])
        w.row("SIRET", holder["siret"])
    else:
        w.row("Nom et prénoms", f"{holder['last_name'].upper()} {holder['first_names']}".strip())
    w.row("Adresse", f"{holder['address']}, {holder['postal_code']} {holder['commune']}")
    w.row("Télédéclarant", filer_label(demarche))
    if duplicate:
        answers = (demarche.answers or {}).get("pour-commencer") or {}
        w.row(
            "Motif",
            {"perte": "Perte", "vol": "Vol", "deterioration": "Détérioration"}.get(
                answers.get("motif"), ""
            ),
        )
        if answers.get("numero_plainte"):
            w.row("Récépissé de plainte", answers["numero_plainte"])
        w.section("Paiement des taxes")
        w.row("Référence du paiement", operation.payment_reference)
        w.row("Montant payé", amount(operation.amount_cents))
    w.section("Suite de la démarche")
    if operation.reverted_at is not None:
        # The accusé stays the record of what was filed (and paid); it says
        # the operation was undone instead of promising a card or a label.
        w.text(withdrawn_sentence(demarche, operation.reverted_at), size=9)
        w.text(_undone_follow(operation, duplicate), size=9)
        return doc.bytes()
    if duplicate:
        follow = (
            "Le certificat d’immatriculation précédent est annulé. La nouvelle carte grise sera "
            "envoyée par courrier à l’adresse du titulaire."
        )
    elif operation.new_certificate:
        follow = "Une nouvelle carte grise à la nouvelle adresse sera envoyée par courrier."
    else:
        follow = (
            f"L’étiquette n° {operation.label_number} portant la nouvelle adresse sera envoyée "
            "par courrier : collez-la sur la carte grise, dans le cadre prévu à cet effet."
        )
    if operation.cpi_number:
        follow += (
            f" Le certificat provisoire (CPI) n° {operation.cpi_number} permet de circuler en "
            f"France jusqu’au {operation.cpi_valid_until:%d/%m/%Y}."
        )
    w.text(follow, size=9)
    return doc.bytes()
