""" "Récapitulatif de pré-demande": the PDF the person brings to the town
hall. One block per title with its number (text and QR code, which the
counter scans), then the identity, the reason and the documents to bring."""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from titres.core import numbering
from titres.core.pdf import Document

from .enums import Motif, TitleKind
from .procedure import rules


def recapitulatif_rows(demarche) -> list[tuple[str, str]]:
    answers = demarche.answers or {}
    ec = answers.get("etat_civil") or {}
    ad = answers.get("adresse") or {}
    born = rules.birth_date(answers)
    place = ec.get("pays_naissance") or (
        f"{ec.get('commune_naissance', '')} ({ec.get('code_postal_naissance', '')})"
    )
    rows = [
        (_("Démarche"), demarche.display_number),
        (
            _("Date de la pré-demande"),
            timezone.localtime(demarche.submitted_at).strftime("%d/%m/%Y %H:%M")
            if demarche.submitted_at
            else "—",
        ),
        (_("Motif"), str(Motif(rules.motif(answers)).label) if rules.motif(answers) else ""),
        (_("Nom de naissance"), ec.get("nom_naissance", "")),
    ]
    if ec.get("nom_usage"):
        rows.append((_("Nom d’usage"), ec["nom_usage"]))
    rows += [
        (_("Prénoms"), ", ".join(ec.get("prenoms") or [])),
        (_("Date de naissance"), born.strftime("%d/%m/%Y") if born else ""),
        (_("Lieu de naissance"), place),
        (
            _("Adresse"),
            f"{ad.get('adresse', '')}, {ad.get('code_postal', '')} {ad.get('commune', '')}",
        ),
    ]
    if rules.for_minor(answers):
        rep = answers.get("representant") or {}
        rows.append(
            (
                _("Représentant légal"),
                f"{' '.join(rep.get('prenoms') or [])} {rep.get('nom', '')}".strip(),
            )
        )
    return rows


def render_recapitulatif(demarche) -> bytes:
    doc = Document(
        str(_("Récapitulatif de pré-demande")), subject=str(_("Carte d’identité et passeport"))
    )
    c = doc.canvas
    left, top = 20 * mm, doc.height - 20 * mm
    doc.letterhead(left, top)
    c.setFont("Helvetica-Bold", 15)
    c.drawString(left, top - 16 * mm, str(_("Récapitulatif de pré-demande")))
    y = top - 26 * mm
    for predemande in demarche.predemandes.order_by("title"):
        c.setFont("Helvetica-Bold", 11)
        c.drawString(left, y, str(TitleKind(predemande.title).label))
        c.setFont("Courier-Bold", 16)
        c.drawString(left, y - 8 * mm, numbering.format_number(predemande.number))
        c.setFont("Helvetica", 8)
        c.drawString(
            left,
            y - 13 * mm,
            _("Valable jusqu’au %(date)s")
            % {"date": timezone.localtime(predemande.expires_at).strftime("%d/%m/%Y")},
        )
        doc.qr_code(predemande.number, doc.width - 55 * mm, y - 22 * mm, 30 * mm)
        y -= 34 * mm
    c.setFont("Helvetica", 9)
    for label, value in recapitulatif_rows(demarche):
        c.setFont("Helvetica-Bold", 9)
        c.drawString(left, y, f"{label} :")
        c.setFont("Helvetica", 9)
        c.drawString(left + 45 * mm, y, str(value)[:90])
        y -= 6 * mm
    y -= 4 * mm
    c.setFont("Helvetica-Bold", 10)
    c.drawString(left, y, str(_("À apporter au rendez-vous en mairie")))
    c.setFont("Helvetica", 9)
    for item in rules.documents_to_bring(demarche.answers or {}):
        y -= 5.5 * mm
        c.drawString(left + 3 * mm, y, f"– {item}"[:110])
    return doc.bytes()
