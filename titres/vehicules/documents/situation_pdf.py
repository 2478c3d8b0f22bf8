"""Certificat de situation administrative (PDF) with a 2D-Doc of the
portal's type Z2 (docs/twoddoc.md): the vehicle, the inscriptions (ZA),
the number of successive holders (ZB), the day of the situation and the
end of the 15 days a buyer may rely on it (08)."""

from reportlab.lib.units import mm

from titres.core import twoddoc
from titres.core.pdf import Document, Writer


def situation_fields(report) -> dict:
    vehicle = report.vehicle
    return {
        "01": report.number,
        "A0": "FR",
        "A1": vehicle.plate_display,
        "A4": vehicle.vin,
        "A2": vehicle.make[:17],
        "A3": vehicle.commercial_name[:17],
        "AA": vehicle.first_registration_date,
        "ZB": min(report.holders_count, 99),
        "ZA": report.codes,
        "6N": report.issued_on,
        "08": report.valid_until,
    }


def situation_twoddoc(report) -> str:
    return twoddoc.encode("Z2", situation_fields(report))


def situation_pdf(report) -> bytes:
    vehicle = report.vehicle
    doc = Document("Certificat de situation administrative", subject=report.number)
    doc.letterhead(20 * mm, doc.height - 20 * mm)
    w = Writer(doc, doc.height - 38 * mm)
    w.twoddoc(situation_twoddoc(report))
    w.title("Certificat de situation administrative")
    if report.annulled:
        # Never a certificate a buyer could take for a valid registration:
        # the annulment comes first, and the 2D-Doc's ZA starts with ANNULEE.
        w.title("IMMATRICULATION ANNULÉE")
        w.text(
            f"L’immatriculation {vehicle.plate_display} a été annulée le "
            f"{report.annulment.registered_on:%d/%m/%Y} dans le système d’immatriculation des "
            "véhicules (SIV) : ce numéro n’est pas une immatriculation valable. Le véhicule ne "
            "peut pas circuler sous ce numéro, qui ne sera attribué à aucun autre véhicule ; il "
            "ne peut être ni vendu ni changer de titulaire sous ce numéro. Situation au "
            f"{report.issued_on:%d/%m/%Y}.",
            size=9,
        )
    else:
        w.text(
            f"Situation du véhicule dans le système d’immatriculation des véhicules (SIV) au "
            f"{report.issued_on:%d/%m/%Y}. À remettre à l’acquéreur en cas de vente : il doit "
            f"dater de moins de 15 jours (jusqu’au {report.valid_until:%d/%m/%Y}).",
            size=9,
        )
    w.row("Numéro du certificat", report.number)
    w.section("Véhicule")
    w.row("Numéro d’immatriculation (A)", vehicle.plate_display)
    w.row("Numéro d’identification VIN (E)", vehicle.vin)
    w.row("Marque (D.1)", vehicle.make)
    w.row("Dénomination commerciale (D.3)", vehicle.commercial_name)
    w.row("Date de première immatriculation (B)", f"{vehicle.first_registration_date:%d/%m/%Y}")
    w.row("Date du certificat d’immatriculation (I)", f"{vehicle.ci_date:%d/%m/%Y}")
    w.row("Nombre de titulaires successifs", report.holders_count)
    w.section("Situation administrative")
    if report.annulled:
        w.row(
            "Immatriculation annulée", f"Oui — inscrit le {report.annulment.registered_on:%d/%m/%Y}"
        )
    for line in report.lines:
        if line.active:
            since = ", ".join(f"{s.registered_on:%d/%m/%Y}" for s in line.situations)
            w.row(line.label, f"Oui — inscrit le {since}")
        else:
            w.row(line.label, "Non")
    if report.sale_declared:
        w.row("Déclaration de cession", "Enregistrée, changement de titulaire en attente")
    w.text(
        "Le 2D-Doc en haut de page est signé par l’Agence : vérifiez-le sur la page « Vérifier un "
        "2D-Doc » du portail. Un certificat modifié, ou de plus de 15 jours, y est signalé."
    )
    return doc.bytes()
