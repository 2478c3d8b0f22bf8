""" "Attestation d'inscription au permis de conduire": the PDF a candidate
(or the driving school) downloads once the prefecture attributed the NEPH.
It says the candidate is registered for the categories sought; it gives
no right to drive."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from titres.core.pdf import Document

from ..identifiers import format_neph
from .categories import table
from .rules import categories_of, filed_by_school


def attestation_rows(demarche) -> list[tuple[str, str]]:
    licence_request = demarche.licence_request
    record = licence_request.record
    answers = demarche.answers or {}
    labels = {code: entry.label for code, entry in table().categories.items()}
    rows = [
        (_("Numéro de dossier (NEPH)"), format_neph(record.neph)),
        (_("Nom de naissance"), record.birth_name),
    ]
    if record.usage_name:
        rows.append((_("Nom d’usage"), record.usage_name))
    rows += [
        (_("Prénoms"), record.first_names),
        (_("Date de naissance"), record.birth_date.strftime("%d/%m/%Y")),
        (
            _("Catégories demandées"),
            ", ".join(labels.get(c, c) for c in categories_of(answers)),
        ),
        (
            _("Inscription validée le"),
            timezone.localtime(licence_request.neph_attributed_at).strftime("%d/%m/%Y"),
        ),
        (_("Numéro de la demande"), demarche.display_number),
    ]
    if demarche.authority:
        rows.append((_("Service instructeur"), demarche.authority.name))
    if filed_by_school(demarche):
        owner = demarche.owner
        school = owner.organisation_name or owner.get_full_name() or owner.username
        if owner.approval_number:
            school = f"{school} (agrément {owner.approval_number})"
        rows.append((_("École de conduite"), school))
    return rows


def render_attestation_pdf(demarche) -> bytes:
    title = _("Attestation d’inscription au permis de conduire")
    document = Document(title, subject=demarche.number)
    pdf = document.canvas
    left = 20 * mm
    y = document.height - 25 * mm
    document.letterhead(left, y)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(left, y - 18 * mm, str(title))
    document.qr_code(
        demarche.licence_request.record.neph, document.width - 60 * mm, y - 30 * mm, 40 * mm
    )
    y -= 42 * mm
    for label, value in attestation_rows(demarche):
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(left, y, str(label))
        pdf.setFont("Helvetica", 10)
        pdf.drawString(left + 60 * mm, y, str(value)[:80])
        y -= 7 * mm
    y -= 6 * mm
    text = pdf.beginText(left, y)
    text.setFont("Helvetica", 10)
    for line in [
        _("Le candidat ci-dessus est inscrit au permis de conduire pour les catégories"),
        _("indiquées. Son numéro de dossier (NEPH) lui est demandé pour l’examen du code"),
        _("de la route (ETG) et les épreuves pratiques. Cette attestation ne vaut pas"),
        _("autorisation de conduire."),
    ]:
        text.textLine(str(line))
    pdf.drawText(text)
    pdf.setFont("Helvetica-Oblique", 8)
    pdf.drawString(
        left,
        15 * mm,
        _("Document émis le %(date)s — demande %(number)s")
        % {"date": timezone.localdate().strftime("%d/%m/%Y"), "number": demarche.number},
    )
    return document.bytes()
