"""Certificat d'examen du permis de conduire (CEPC, PDF) with a 2D-Doc of
the specification's type AD (docs/twoddoc.md): the candidate, the test
(reference, nature P = pratique, day, category) and the four months it is
a provisional right to drive (D3 → D4). Imported lazily: reportlab."""

from reportlab.lib.units import mm

from titres.core import twoddoc
from titres.core.pdf import Document, Writer

# The vehicle PDFs' line writer: a drawing helper with no app logic.


def cepc_fields(test) -> dict:
    record = test.record
    first_names = [n.strip() for n in record.first_names.split(",") if n.strip()]
    return {
        "60": first_names,
        "62": record.birth_name[:38],
        "69": record.birth_date,
        "D3": test.taken_on,
        "E9": test.cepc_number,
        "EA": "P",
        "EC": test.taken_on,
        "ED": test.category,
        "D4": test.cepc_valid_until,
    }


def cepc_twoddoc(test) -> str:
    return twoddoc.encode("AD", cepc_fields(test))


def cepc_pdf(test) -> bytes:
    record = test.record
    doc = Document("Certificat d’examen du permis de conduire", subject=test.cepc_number)
    doc.letterhead(20 * mm, doc.height - 20 * mm)
    w = Writer(doc, doc.height - 38 * mm)
    w.twoddoc(cepc_twoddoc(test))
    w.title("Certificat d’examen du permis de conduire")
    w.text(
        f"Ce certificat (CEPC) atteste la réussite à l’épreuve pratique du permis de conduire. "
        f"Accompagné d’une pièce d’identité, il vous autorise à conduire les véhicules de la "
        f"catégorie obtenue en France jusqu’au {test.cepc_valid_until:%d/%m/%Y}, dans l’attente "
        f"de votre titre de conduite.",
        size=9,
    )
    w.row("Référence du certificat", test.cepc_number)
    w.section("Candidat")
    w.row("Numéro de dossier (NEPH)", record.neph_display)
    w.row("Nom de naissance", record.birth_name)
    if record.usage_name:
        w.row("Nom d’usage", record.usage_name)
    w.row("Prénoms", record.first_names)
    w.row("Date de naissance", f"{record.birth_date:%d/%m/%Y}")
    w.section("Examen")
    w.row("Épreuve", "Épreuve pratique")
    w.row("Catégorie obtenue", test.category)
    w.row("Date de l’examen", f"{test.taken_on:%d/%m/%Y}")
    w.row("Centre d’examen", test.centre)
    w.row("Valable jusqu’au", f"{test.cepc_valid_until:%d/%m/%Y}")
    w.text(
        "Le 2D-Doc en haut de page est signé par l’Agence : vérifiez-le sur la page « Vérifier un "
        "2D-Doc » du portail. Un certificat modifié, ou de plus de quatre mois, y est signalé."
    )
    return doc.bytes()
