""" "Justificatif de la pré-demande" (seed 002 step 8): a PDF with the number,
the date, the identity, the reason, the documents, the payment and a QR code
holding the number."""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from titres.core.pdf import Document, amount
from titres.procedures.documents import rules_with_documents

from . import request_forms as rf
from .identifiers import format_ephoto_code
from .procedure import fee_cents, motif_of


def _motif_row(demarche, motif: str) -> tuple[str, str]:
    from .inscription.procedure import CODE as INSCRIPTION_CODE

    if demarche.procedure_code == INSCRIPTION_CODE:
        categories = ((demarche.answers or {}).get("categories") or {}).get("categories") or []
        return (_("Inscription, catégories demandées"), ", ".join(categories))
    return (_("Motif"), str(dict(rf.MOTIF_CHOICES).get(motif, motif)))


def receipt_rows(demarche) -> list[tuple[str, str]]:
    answers = demarche.answers or {}
    ec = answers.get("etat_civil") or {}
    ad = answers.get("adresse") or {}
    motif = motif_of(answers)
    birth = rf._parse_iso(ec.get("date_naissance"))
    if ec.get("pays_naissance"):
        place = ", ".join(v for v in [ec.get("commune_naissance"), ec["pays_naissance"]] if v)
    else:
        place = f"{ec.get('commune_naissance', '')} ({ec.get('departement_naissance', '')})"
    street = " ".join(
        v
        for v in [ad.get("numero"), ad.get("extension"), ad.get("type_voie"), ad.get("nom_voie")]
        if v
    )
    submitted = timezone.localtime(demarche.submitted_at) if demarche.submitted_at else None
    rows = [
        (_("Numéro de la pré-demande"), demarche.display_number),
        (_("Date de la pré-demande"), submitted.strftime("%d/%m/%Y %H:%M") if submitted else "—"),
        _motif_row(demarche, motif),
        (_("Nom de naissance"), ec.get("nom_naissance", "")),
    ]
    if ec.get("nom_usage"):
        rows.append((_("Nom d’usage"), ec["nom_usage"]))
    rows += [
        (_("Prénoms"), ", ".join(ec.get("prenoms") or [])),
        (_("Sexe"), {"F": _("Femme"), "M": _("Homme")}.get(ec.get("sexe"), "")),
        (_("Date de naissance"), birth.strftime("%d/%m/%Y") if birth else ""),
        (_("Lieu de naissance"), place),
        (_("Adresse"), f"{street}, {ad.get('code_postal', '')} {ad.get('commune', '')}"),
    ]
    if demarche.authority:
        rows.append(
            (_("Service instructeur"), f"{demarche.authority.name} ({demarche.authority.code})")
        )
    code = (answers.get("photo") or {}).get("code_ephoto")
    if rf.photo_mode(answers) == rf.TALON:
        rows.append((_("Photo / Signature"), str(rf.TALON_SUMMARY)))
    else:
        rows.append((_("Code « photo numérique »"), format_ephoto_code(code) if code else "—"))
    fee = fee_cents(motif)
    if fee:
        number = (answers.get("paiement") or {}).get("numero_timbre", "")
        rows.append(
            (
                _("Paiement"),
                _("Timbre fiscal n° %(number)s — %(amount)s")
                % {"number": number, "amount": amount(fee)},
            )
        )
    else:
        rows.append((_("Paiement"), _("Aucun paiement pour ce motif")))
    return rows


def render_receipt_pdf(demarche) -> bytes:
    title = _("Justificatif de la pré-demande")
    document = Document(f"{title} {demarche.display_number}", subject=demarche.number)
    pdf = document.canvas
    left = 20 * mm
    y = document.height - 25 * mm
    document.letterhead(left, y)
    pdf.setFont("Helvetica-Bold", 17)
    pdf.drawString(left, y - 18 * mm, str(title))
    pdf.setFont("Helvetica", 11)
    pdf.drawString(left, y - 25 * mm, str(_("Permis de conduire")))

    # QR code holding the number, top right.
    document.qr_code(demarche.number, document.width - 60 * mm, y - 30 * mm, 40 * mm)

    y -= 42 * mm
    for label, value in receipt_rows(demarche):
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(left, y, str(label))
        pdf.setFont("Helvetica", 10)
        pdf.drawString(left + 60 * mm, y, str(value)[:80])
        y -= 7 * mm

    y -= 4 * mm
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(left, y, str(_("Pièces justificatives")))
    y -= 7 * mm
    pdf.setFont("Helvetica", 10)
    for rule, documents in rules_with_documents(demarche):
        names = ", ".join(d.original_name for d in documents) or "—"
        pdf.drawString(left, y, f"• {rule.label} : {names}"[:100])
        y -= 6 * mm
    if motif_of(demarche.answers) == rf.PERTE:
        pdf.drawString(
            left, y, "• " + str(_("Déclaration de perte faite en ligne (sur l’honneur)"))
        )
        y -= 6 * mm

    y -= 8 * mm
    pdf.setFont("Helvetica-Oblique", 9)
    pdf.drawString(
        left,
        y,
        str(
            _(
                "Conservez ce justificatif : le numéro de pré-demande vous sera demandé pour tout échange."
            )
        ),
    )
    return document.bytes()
