"""Attestation provisoire de droits à conduire (seed 002, 15 October 2016):
once a licence request is validated, the citizen may download a PDF that
proves their driving rights until the new card arrives."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.procedures.enums import Status
from titres.procedures.hooks import person_of
from titres.procedures.registry import Link, find_procedure

# The attestation never outlives the title's expected arrival by much.
VALIDITY = timedelta(days=120)
AVAILABLE_STATUSES = frozenset({Status.VALIDEE, Status.EN_PRODUCTION})


def is_available(demarche) -> bool:
    """Only for the procedures that say they give a provisional right
    (`extra={"provisional_attestation": True}`: the licence renewal, not the
    inscription, whose candidate has no licence yet), once validated."""
    definition = find_procedure(demarche.procedure_code)
    if definition is None or not (definition.extra or {}).get("provisional_attestation"):
        return False
    return demarche.status in AVAILABLE_STATUSES and bool(demarche.decided_at)


def file_links(demarche, user) -> list[Link]:
    """Registered with the engine (`register_file_link`): the download link
    on the citizen's file page (/demarches/<number>/)."""
    # `owner_id` is None for a detached file, like an anonymous user's pk.
    if demarche.owner_id is None or demarche.owner_id != getattr(user, "pk", None):
        return []
    if not is_available(demarche):
        return []
    return [
        Link(
            label=_("Attestation provisoire de droits à conduire"),
            url=reverse("instruction_public:attestation", args=[demarche.number]),
            detail="PDF",
            download=True,
        )
    ]


def valid_until(demarche) -> date:
    return timezone.localdate(demarche.decided_at) + VALIDITY


def render(demarche) -> bytes:
    """The PDF, about the person the procedure names (`person` hook)."""
    from reportlab.lib.units import mm

    from titres.core.pdf import Document

    person = person_of(demarche)
    document = Document(
        _("Attestation provisoire de droits à conduire"),
        author=_("Agence nationale des titres sécurisés"),
    )
    pdf = document.canvas
    y = document.height - 25 * mm
    document.letterhead(20 * mm, y, agency=False)
    y -= 15 * mm
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(20 * mm, y, _("Attestation provisoire de droits à conduire"))
    y -= 12 * mm
    pdf.setFont("Helvetica", 11)
    lines = []
    if person is not None:
        lines = [
            (_("Nom de naissance"), person.last_name.upper()),
            (_("Nom d’usage"), person.usage_name.upper()),
            (_("Prénoms"), ", ".join(person.first_names)),
            (
                _("Date de naissance"),
                person.birth_date.strftime("%d/%m/%Y") if person.birth_date else "",
            ),
            *person.details,
        ]
    lines += [
        (_("Numéro de la demande"), demarche.display_number),
        (_("Demande validée le"), timezone.localtime(demarche.decided_at).strftime("%d/%m/%Y")),
    ]
    for label, value in lines:
        if not value:
            continue
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(20 * mm, y, f"{label} :")
        pdf.setFont("Helvetica", 11)
        pdf.drawString(80 * mm, y, str(value))
        y -= 8 * mm
    y -= 6 * mm
    until = valid_until(demarche).strftime("%d/%m/%Y")
    text = pdf.beginText(20 * mm, y)
    text.setFont("Helvetica", 10)
    for line in [
        _("Le titulaire ci-dessus a demandé un nouveau permis de conduire ; sa demande"),
        _("a été validée par le service instructeur. La présente attestation justifie"),
        _("de ses droits à conduire jusqu’à la remise du nouveau titre, et au plus tard"),
        _("jusqu’au %(date)s. Elle doit être présentée avec une pièce d’identité.")
        % {"date": until},
    ]:
        text.textLine(line)
    pdf.drawText(text)
    pdf.setFont("Helvetica-Oblique", 8)
    pdf.drawString(
        20 * mm,
        15 * mm,
        _("Document émis le %(date)s — demande %(number)s")
        % {"date": timezone.localdate().strftime("%d/%m/%Y"), "number": demarche.number},
    )
    return document.bytes()
