"""Certificat de cession (the content of cerfa 15776) with a 2D-Doc of
type A8 "certificat de cession électronique", laid out field by field as
the 2D-Doc specification defines it."""

from django.utils import timezone
from reportlab.lib.units import mm

from titres.core import twoddoc
from titres.core.pdf import Document, Writer

from ..enums import PersonKind
from .common import first_given_name


def cession_fields(declaration) -> dict:
    vehicle = declaration.vehicle
    company = declaration.buyer_kind == PersonKind.MORALE
    fields = {
        "A1": vehicle.plate_display,
        "A4": vehicle.vin,
        "AA": vehicle.first_registration_date,
        "AN": declaration.mileage,
        "C1": declaration.seller_last_name or declaration.seller_name,
        "C3": timezone.localtime(declaration.sold_at).replace(tzinfo=None),
        "C4": timezone.localtime(declaration.created_at).date(),
        "C6": declaration.buyer_company_name if company else declaration.buyer_last_name,
        "C8": declaration.buyer_address or "-",
        "C9": declaration.buyer_postal_code,
        "CA": declaration.buyer_commune,
        "CB": declaration.registration_number,
        "CC": timezone.localtime(declaration.created_at).replace(
            tzinfo=None, second=0, microsecond=0
        ),
    }
    if declaration.seller_first_names:
        fields["C2"] = first_given_name(declaration.seller_first_names)
    if not company and declaration.buyer_first_names:
        fields["C7"] = first_given_name(declaration.buyer_first_names)
    return {key: value for key, value in fields.items() if value not in (None, "")}


def cession_twoddoc(declaration) -> str:
    return twoddoc.encode("A8", cession_fields(declaration))


def cession_certificate_pdf(declaration) -> bytes:
    vehicle = declaration.vehicle
    doc = Document("Certificat de cession d’un véhicule d’occasion", subject="cerfa 15776")
    doc.letterhead(20 * mm, doc.height - 20 * mm)
    w = Writer(doc, doc.height - 38 * mm)
    w.twoddoc(cession_twoddoc(declaration))
    w.title("Certificat de cession d’un véhicule d’occasion")
    w.text("Contenu du formulaire cerfa n° 15776 — déclaration enregistrée dans le SIV")
    w.row("N° d’enregistrement", declaration.registration_number)
    w.row(
        "Enregistrée dans le SIV le",
        timezone.localtime(declaration.created_at).strftime("%d/%m/%Y à %H:%M"),
    )
    w.section("Le véhicule")
    w.row("Numéro d’immatriculation (A)", vehicle.plate_display)
    w.row("Numéro d’identification VIN (E)", vehicle.vin)
    w.row(
        "Date de première immatriculation (B)", vehicle.first_registration_date.strftime("%d/%m/%Y")
    )
    w.row("Genre national (J.1)", vehicle.category)
    w.row("Marque (D.1)", vehicle.make)
    w.row("Dénomination commerciale (D.3)", vehicle.commercial_name)
    w.row("Numéro de formule du certificat", vehicle.formule_number or "— (immatriculation FNI)")
    w.row("Date du certificat (I)", vehicle.ci_date.strftime("%d/%m/%Y"))
    w.row("Kilométrage inscrit au compteur", f"{declaration.mileage:,} km".replace(",", " "))
    w.section("L’ancien propriétaire (vendeur)")
    w.row("Nom, prénoms ou raison sociale", declaration.seller_name)
    w.row("Adresse", declaration.seller_address)
    w.row(
        "Cède ce véhicule le",
        timezone.localtime(declaration.sold_at).strftime("%d/%m/%Y à %H:%M"),
    )
    w.section("Le nouveau propriétaire (acquéreur)")
    w.row("Nom, prénoms ou raison sociale", declaration.buyer_display)
    if declaration.buyer_birth_date:
        w.row("Date de naissance", declaration.buyer_birth_date.strftime("%d/%m/%Y"))
    w.row("Adresse", declaration.buyer_address)
    w.row("Code postal et commune", f"{declaration.buyer_postal_code} {declaration.buyer_commune}")
    w.section("Mentions")
    w.text(
        "Le vendeur certifie que le véhicule n’a pas subi de transformation notable et que le "
        "certificat d’immatriculation barré, portant la mention « vendu le » (date et heure), a été "
        "remis à l’acquéreur avec le code de cession. L’acquéreur dispose d’un mois pour demander "
        "le certificat d’immatriculation à son nom (démarche « J’achète ou je reçois un véhicule "
        "d’occasion »)."
    )
    w.text(
        "Le 2D-Doc en haut de page (type A8, certificat de cession électronique) est signé par "
        "l’Agence : tout lecteur 2D-Doc muni du certificat publié en vérifie l’authenticité."
    )
    return doc.bytes()
