""" "Talon photo-signature" (seed 002 step 4): for a person without an
e-photo code, a printable A4 slip with the request's number, the identity,
a 35 × 45 mm frame for the photo and a frame for the signature, and where
to send it."""

from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from titres.core.pdf import Document

from . import request_forms as rf

PHOTO_W, PHOTO_H = 35 * mm, 45 * mm


def render_talon_pdf(demarche) -> bytes:
    answers = demarche.answers or {}
    ec = answers.get("etat_civil") or {}
    title = _("Talon photo-signature")
    document = Document(f"{title} {demarche.display_number}", subject=demarche.number)
    pdf = document.canvas
    left = 20 * mm
    y = document.height - 25 * mm
    document.letterhead(left, y)
    pdf.setFont("Helvetica-Bold", 17)
    pdf.drawString(left, y - 18 * mm, str(title))
    pdf.setFont("Helvetica", 11)
    pdf.drawString(
        left,
        y - 25 * mm,
        str(_("Permis de conduire — demande n° %(n)s") % {"n": demarche.display_number}),
    )
    document.qr_code(demarche.number, document.width - 60 * mm, y - 30 * mm, 40 * mm)

    y -= 42 * mm
    birth = rf._parse_iso(ec.get("date_naissance"))
    for label, value in [
        (_("Nom de naissance"), ec.get("nom_naissance", "")),
        (_("Prénoms"), ", ".join(ec.get("prenoms") or [])),
        (_("Date de naissance"), birth.strftime("%d/%m/%Y") if birth else ""),
    ]:
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(left, y, str(label))
        pdf.setFont("Helvetica", 10)
        pdf.drawString(left + 45 * mm, y, str(value)[:70])
        y -= 7 * mm

    # The photo frame (35 × 45 mm, the ID photo size) and the signature frame.
    y -= 8 * mm + PHOTO_H
    pdf.setDash(3, 2)
    pdf.rect(left, y, PHOTO_W, PHOTO_H)
    pdf.rect(left + PHOTO_W + 15 * mm, y + 10 * mm, 90 * mm, 30 * mm)
    pdf.setDash()
    pdf.setFont("Helvetica", 8)
    pdf.drawCentredString(left + PHOTO_W / 2, y + PHOTO_H / 2 + 2 * mm, str(_("Collez ici")))
    pdf.drawCentredString(left + PHOTO_W / 2, y + PHOTO_H / 2 - 2 * mm, str(_("votre photo")))
    pdf.drawString(
        left + PHOTO_W + 15 * mm, y + 42 * mm, str(_("Signez dans le cadre, sans en dépasser :"))
    )

    y -= 14 * mm
    pdf.setFont("Helvetica", 10)
    authority = demarche.authority.name if demarche.authority else ""
    lines = [
        _("Photo d’identité de moins de 6 mois, en couleur, 35 × 45 mm, conforme aux normes."),
        _("Signez à l’encre noire, dans le cadre."),
        _("Envoyez ce talon par courrier dès la validation de votre demande, à :"),
        authority
        or _("l’adresse du service instructeur indiquée sur votre justificatif de pré-demande"),
        _("Rappelez le numéro de demande %(n)s sur l’enveloppe.") % {"n": demarche.display_number},
    ]
    for line in lines:
        pdf.drawString(left, y, str(line)[:100])
        y -= 6 * mm
    return document.bytes()
