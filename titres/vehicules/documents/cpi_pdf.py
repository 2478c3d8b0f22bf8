"""Certificat provisoire d'immatriculation (CPI), valid one month, France
only, with a 2D-Doc of the portal's type Z1 (docs/twoddoc.md): vehicle,
holder and the end of validity, so that a roadside reader sees an expired
or tampered CPI."""

from reportlab.lib.units import mm

from titres.core import twoddoc
from titres.core.pdf import Document, Writer, amount

from .. import plates
from ..changement import state
from ..enums import PlateSystem
from ..professionnels.mandate import filer_label


def holder_of(demarche) -> dict:
    answers = state.holder_answers(demarche)
    company = state.company_client(demarche.answers or {})
    if company:
        # A company client: the CPI and the accusé in the company's name.
        return {
            "last_name": company["raison_sociale"],
            "birth_name": "",
            "first_names": "",
            "address": " ".join(
                p for p in (answers.get("adresse", ""), answers.get("complement", "")) if p
            ),
            "postal_code": answers.get("code_postal", ""),
            "commune": answers.get("commune", ""),
            "company": company["raison_sociale"],
            "siret": company["siret"],
        }
    return {
        "last_name": answers.get("nom_usage") or answers.get("nom_naissance", ""),
        "birth_name": answers.get("nom_naissance", ""),
        "first_names": answers.get("prenoms", ""),
        "address": " ".join(
            p for p in (answers.get("adresse", ""), answers.get("complement", "")) if p
        ),
        "postal_code": answers.get("code_postal", ""),
        "commune": answers.get("commune", ""),
    }


def registry_holder(vehicle) -> dict:
    """The current titulaire as the registry knows it (an address change
    or a duplicate: the certificate stays in their name)."""
    holder = vehicle.titulaire
    if holder is None:
        return dict.fromkeys(("last_name", "birth_name", "first_names", "address"), "") | {
            "postal_code": "",
            "commune": "",
            "company": "",
            "siret": "",
        }
    return {
        "last_name": holder.company_name
        if holder.is_company
        else holder.usage_name or holder.last_name,
        "birth_name": "" if holder.is_company else holder.last_name,
        "first_names": holder.first_names,
        "address": holder.address,
        "postal_code": holder.postal_code,
        "commune": holder.commune,
        "company": holder.company_name if holder.is_company else "",
        "siret": holder.siret if holder.is_company else "",
    }


def plate_shown(record) -> str:
    """The number the holder drives with under this CPI. An FNI vehicle's
    change of holder gets its SIV number when the CPI is issued
    (`record.new_plate`), before the CERT writes it in the registry."""
    vehicle = record.vehicle
    if record.new_plate and record.new_plate != vehicle.plate:
        return plates.display_form(PlateSystem.SIV, record.new_plate)
    return vehicle.plate_display


def cpi_fields(record, holder: dict | None = None) -> dict:
    vehicle = record.vehicle
    holder = holder or holder_of(record.demarche)
    return {
        "01": record.cpi_number,
        "A0": "FR",
        "A1": plate_shown(record),
        "A4": vehicle.vin,
        "A2": vehicle.make[:17],
        "A3": vehicle.commercial_name[:17],
        "AA": vehicle.first_registration_date,
        "A6": vehicle.energy,
        "62": holder["birth_name"],
        "60": holder["first_names"].replace(",", " ").split(),
        "5M": holder.get("company", "")[:38],
        "6W": holder["postal_code"],
        "6X": holder["commune"][:32],
        "6N": record.demarche.submitted_at.date(),
        "08": record.cpi_valid_until,
    }


def cpi_twoddoc(record, holder: dict | None = None) -> str:
    return twoddoc.encode("Z1", cpi_fields(record, holder))


def cpi_pdf(record, holder: dict | None = None) -> bytes:
    """`holder`: the titulaire when it is not the change of holder's new
    one (address change, duplicate: `registry_holder`)."""
    vehicle = record.vehicle
    demarche = record.demarche
    holder = holder or holder_of(demarche)
    doc = Document("Certificat provisoire d’immatriculation", subject=record.cpi_number)
    doc.letterhead(20 * mm, doc.height - 20 * mm)
    w = Writer(doc, doc.height - 38 * mm)
    w.twoddoc(cpi_twoddoc(record, holder))
    w.title("Certificat provisoire d’immatriculation (CPI)")
    w.text(
        f"Valable jusqu’au {record.cpi_valid_until:%d/%m/%Y} inclus, sur le territoire français "
        "uniquement. La carte grise définitive sera envoyée par courrier à l’adresse du titulaire.",
        size=9,
    )
    w.row("Numéro du CPI", record.cpi_number)
    w.row("Démarche n°", demarche.display_number)
    w.row("Délivré le", f"{demarche.submitted_at:%d/%m/%Y}")
    w.section("Véhicule")
    w.row("Numéro d’immatriculation (A)", plate_shown(record))
    if plate_shown(record) != vehicle.plate_display:
        w.row("Ancien numéro d’immatriculation", vehicle.plate_display)
    w.row("Numéro d’identification VIN (E)", vehicle.vin)
    w.row("Date de première immatriculation (B)", f"{vehicle.first_registration_date:%d/%m/%Y}")
    w.row("Genre national (J.1)", vehicle.category)
    w.row("Marque (D.1)", vehicle.make)
    w.row("Dénomination commerciale (D.3)", vehicle.commercial_name)
    w.row("Énergie (P.3)", vehicle.energy)
    w.row("Puissance administrative (P.6)", f"{vehicle.fiscal_power} CV")
    if vehicle.gross_weight_kg:
        w.row("PTAC (F.2)", f"{vehicle.gross_weight_kg} kg")
    w.section("Titulaire (C.1)")
    if holder.get("company"):
        w.row("Raison sociale", holder["company"])
        if holder.get("siret"):
            w.row("SIRET", holder["siret"])
    else:
        w.row("Nom", holder["last_name"].upper())
        w.row("Prénoms", holder["first_names"])
    w.row("Adresse", holder["address"])
    w.row("Code postal et commune", f"{holder['postal_code']} {holder['commune']}")
    if demarche.acting_for:
        w.row("Démarche effectuée par", filer_label(demarche))
    w.section("Taxes acquittées")
    for line in (record.taxes or {}).get("lines", []):
        w.row(f"{line['code']} — {line['label']}", amount(line["amount_cents"]))
    w.row("Total", amount(record.amount_cents))
    w.text(
        "Ce certificat doit être présenté avec une pièce d’identité lors de tout contrôle. Le "
        "2D-Doc en haut de page est signé par l’Agence : un CPI expiré ou modifié est détecté."
    )
    return doc.bytes()
