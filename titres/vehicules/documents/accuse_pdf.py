"""« Récapitulatif de la demande » / « Accusé d'enregistrement » of a change
of holder (seed 003), with the numéro de démarche."""

from django.utils import timezone, translation
from reportlab.lib.units import mm

from titres.core.pdf import Document, Writer, amount

from ..professionnels.mandate import filer_label
from .cpi_pdf import holder_of, plate_shown


def accuse_pdf(record) -> bytes:
    demarche = record.demarche
    vehicle = record.vehicle
    holder = holder_of(demarche)
    doc = Document("Accusé d’enregistrement", subject=demarche.display_number)
    doc.letterhead(20 * mm, doc.height - 20 * mm)
    w = Writer(doc, doc.height - 38 * mm)
    doc.qr_code(demarche.display_number, doc.width - 50 * mm, doc.height - 50 * mm, 30 * mm)
    w.title("Récapitulatif de la demande — Accusé d’enregistrement")
    w.row("Numéro de votre démarche", demarche.display_number)
    w.row("Démarche", "J’achète ou je reçois un véhicule d’occasion (changement de titulaire)")
    w.row("Enregistrée le", timezone.localtime(demarche.submitted_at).strftime("%d/%m/%Y à %H:%M"))
    w.row("Statut", demarche.get_status_display())
    w.section("Véhicule")
    w.row("Numéro d’immatriculation", plate_shown(record))
    if plate_shown(record) != vehicle.plate_display:
        w.row("Ancien numéro d’immatriculation", vehicle.plate_display)
    w.row("VIN", vehicle.vin)
    w.row("Marque et modèle", f"{vehicle.make} {vehicle.commercial_name}")
    w.section("Nouveau titulaire")
    w.row("Nom et prénoms", f"{holder['last_name'].upper()} {holder['first_names']}")
    w.row("Adresse", f"{holder['address']}, {holder['postal_code']} {holder['commune']}")
    w.row("Télédéclarant", filer_label(demarche))
    w.section("Paiement des taxes")
    w.row("Référence du paiement", record.payment_reference)
    w.row("Montant payé", amount(record.amount_cents))
    w.section("Suite de la démarche")
    if record.withdrawn_at is not None:
        # The accusé stays the record of what was filed and paid; it says
        # the change was withdrawn instead of promising the card.
        w.text(withdrawn_sentence(demarche, record.withdrawn_at), size=9)
        w.text(_change_withdrawn_follow(record), size=9)
        return doc.bytes()
    w.text(
        "Votre demande est transmise au Centre d’Expertise et de Ressources Titres (CERT). Suivez "
        "son avancement dans « Mon Espace Véhicule », rubrique « Mes démarches en cours ». Le "
        f"certificat provisoire (CPI) n° {record.cpi_number} vous permet de circuler en France "
        f"jusqu’au {record.cpi_valid_until:%d/%m/%Y}.",
        size=9,
    )
    return doc.bytes()


def withdrawn_sentence(demarche, when) -> str:
    """« La demande a été rejetée (abandonnée) le JJ/MM/AAAA » and, for a
    rejection, the reason the agent gave (the last status change's)."""
    if demarche.status == "ABANDONNEE":
        return (
            f"La demande a été abandonnée le {timezone.localtime(when):%d/%m/%Y} à la demande du "
            "télédéclarant : elle est annulée."
        )
    change = demarche.history.filter(to_status="REJETEE").order_by("-created_at", "-id").first()
    reason = f" Motif : {change.comment}" if change is not None and change.comment else ""
    return (
        f"La demande a été rejetée le {timezone.localtime(when):%d/%m/%Y} par le service "
        f"instructeur : elle est annulée.{reason}"
    )


def _change_withdrawn_follow(record) -> str:
    text = (
        "Le changement de titulaire n’est pas inscrit au système d’immatriculation des "
        f"véhicules. Le certificat provisoire (CPI) n° {record.cpi_number} est retiré et ne "
        "vaut plus titre de circulation."
    )
    if record.paid_at:
        text += " Les taxes payées sont remboursées sur la carte bancaire qui a servi au paiement."
    if record.code_released:
        text += (
            " Le code de cession remis par le vendeur est de nouveau valable jusqu’au "
            f"{timezone.localtime(record.cession.expires_at):%d/%m/%Y} : une nouvelle demande "
            "peut être déposée avec ce même code."
        )
    return text


def new_vehicle_accuse_pdf(record) -> bytes:
    """The same accusé for a dealer's new vehicle (`NewRegistration`), in
    the name of the client the vehicle is registered to (a person, or a
    company with its SIRET), as the registry holds them since submission.
    Like the change of holder's, it carries the démarche's number as a QR
    code (no 2D-Doc: the CPI carries one)."""
    demarche = record.demarche
    vehicle = record.vehicle
    holder = vehicle.titulaire
    doc = Document("Accusé d’enregistrement", subject=demarche.display_number)
    doc.letterhead(20 * mm, doc.height - 20 * mm)
    w = Writer(doc, doc.height - 38 * mm)
    doc.qr_code(demarche.display_number, doc.width - 50 * mm, doc.height - 50 * mm, 30 * mm)
    w.title("Récapitulatif de la demande — Accusé d’enregistrement")
    w.row("Numéro de votre démarche", demarche.display_number)
    w.row("Démarche", "Immatriculation d’un véhicule neuf")
    w.row("Enregistrée le", timezone.localtime(demarche.submitted_at).strftime("%d/%m/%Y à %H:%M"))
    w.row("Statut", demarche.get_status_display())
    w.section("Véhicule")
    w.row("Numéro d’immatriculation attribué", vehicle.plate_display)
    w.row("VIN", vehicle.vin)
    w.row("Marque et modèle", f"{vehicle.make} {vehicle.commercial_name}")
    w.row("Type, variante, version", vehicle.vehicle_type)
    w.section("Titulaire")
    if holder is not None and holder.is_company:
        w.row("Raison sociale", holder.company_name)
        w.row("SIRET", holder.siret)
    elif holder is not None:
        w.row("Nom et prénoms", holder.display_name)
    if holder is not None:
        w.row("Adresse", f"{holder.address}, {holder.postal_code} {holder.commune}")
    w.row("Télédéclarant", filer_label(demarche))
    w.section("Paiement des taxes")
    for line in (record.taxes or {}).get("lines", []):
        # The code as the label (the column is narrow), the amount first.
        w.row(line["code"], f"{amount(line['amount_cents'])} — {line['label']}")
    w.row("Référence du paiement", record.payment_reference)
    w.row("Montant payé", amount(record.amount_cents))
    w.section("Suite de la démarche")
    if record.withdrawn_at is not None:
        # The accusé stays the record of what was filed and paid; it says
        # the registration was withdrawn instead of promising the card.
        w.text(withdrawn_sentence(demarche, record.withdrawn_at), size=9)
        w.text(
            f"L’immatriculation {vehicle.plate_display} est annulée, le certificat provisoire (CPI) "
            f"n° {record.cpi_number} est retiré et ne vaut plus titre de circulation. Les taxes "
            "payées sont remboursées sur la carte bancaire qui a servi au paiement.",
            size=9,
        )
        return doc.bytes()
    w.text(
        "La demande est transmise au Centre d’Expertise et de Ressources Titres (CERT). La carte "
        "grise sera envoyée par courrier à l’adresse du titulaire. Le certificat provisoire (CPI) "
        f"n° {record.cpi_number} permet de circuler en France jusqu’au "
        f"{record.cpi_valid_until:%d/%m/%Y}.",
        size=9,
    )
    return doc.bytes()


def purchase_accuse_pdf(entry) -> bytes:
    """The accusé d'enregistrement of a professional's déclaration d'achat
    (cerfa 13751, `StockVehicle`), with its numéro d'enregistrement as a QR
    code like the other accusés. It says which proof the seller handed
    over and whether the barred certificate's scan was deposited (a batch
    line has none: a CSV carries no scan)."""
    vehicle = entry.vehicle
    habilitation = getattr(entry.owner, "habilitation", None)
    company = habilitation.organisation_name if habilitation else entry.owner.display_name
    number = entry.registration_number
    doc = Document("Accusé d’enregistrement", subject=number)
    doc.letterhead(20 * mm, doc.height - 20 * mm)
    w = Writer(doc, doc.height - 38 * mm)
    doc.qr_code(number, doc.width - 50 * mm, doc.height - 50 * mm, 30 * mm)
    w.title("Déclaration d’achat — Accusé d’enregistrement")
    w.row("Numéro d’enregistrement", number)
    w.row("Démarche", "Déclaration d’achat d’un véhicule d’occasion (cerfa n° 13751)")
    w.row("Enregistrée le", timezone.localtime(entry.created_at).strftime("%d/%m/%Y à %H:%M"))
    w.row("Déposée", "par dépôt de fichier (lot)" if entry.by_batch else "en ligne")
    if entry.resale_id is None:
        w.row("État", "En stock")
    else:
        w.row(
            "État",
            f"Revendu le {timezone.localtime(entry.resale.sold_at):%d/%m/%Y} (déclaration de "
            f"cession n° {entry.resale.registration_number})",
        )
    w.section("Véhicule")
    w.row("Numéro d’immatriculation", vehicle.plate_display)
    w.row("VIN", vehicle.vin)
    w.row("Marque et modèle", f"{vehicle.make} {vehicle.commercial_name}")
    w.section("Achat")
    w.row("Vendeur (titulaire)", entry.seller_name)
    w.row("Date et heure", timezone.localtime(entry.purchased_at).strftime("%d/%m/%Y à %H:%M"))
    w.row("Kilométrage", f"{entry.mileage:,} km".replace(",", " "))
    with translation.override("fr"):  # the accusés are French, whatever the page's language
        w.row("Justificatif", str(entry.get_proof_display()))
    if entry.seller_cession_id:
        w.row("Déclaration de cession du vendeur", entry.seller_cession.registration_number)
    if entry.certificate_scan:
        pages = entry.certificate_scan_pages
        w.row(
            "Certificat barré (scan)",
            f"{entry.certificate_scan_name} — {pages} page{'s' if pages > 1 else ''}",
        )
        w.row("Empreinte SHA-256", entry.certificate_scan_sha256)
    elif entry.by_batch:
        w.row(
            "Certificat barré (scan)",
            "Aucun : une déclaration déposée par fichier ne comporte pas de scan",
        )
    else:
        w.row("Certificat barré (scan)", "Aucun (code de cession remis par le vendeur)")
    w.section("Acquéreur (professionnel de l’automobile)")
    w.row("Raison sociale", company)
    if habilitation is not None and habilitation.siret:
        w.row("SIRET", habilitation.siret)
    w.row("Habilitation SIV", entry.habilitation_number)
    w.row("Établissement", f"{entry.address}, {entry.postal_code} {entry.commune}")
    w.section("Suite de la démarche")
    w.text(
        "Le véhicule est inscrit au SIV comme acheté par un professionnel de l’automobile (mention "
        "« cédé ») ; sa carte grise n’est pas refaite. Lors de la revente, déclarez la cession à "
        "l’acquéreur final depuis « Mon stock » et remettez-lui le code de cession. Conservez le "
        "certificat barré et signé par le vendeur avec cet accusé.",
        size=9,
    )
    return doc.bytes()
