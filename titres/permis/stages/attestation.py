""" "Attestation de stage de sensibilisation à la sécurité routière": the
PDF e-mailed to each attendee whose licence was credited, after commit."""

from __future__ import annotations

import base64

from django.utils.translation import gettext as _
from django_tasks import task
from reportlab.lib.units import mm

from titres.core.notifications import notify_email
from titres.core.pdf import Document

from ..identifiers import format_neph
from .models import AttendeeStatus, StageAttendee


def render_attestation_pdf(attendee: StageAttendee) -> bytes:
    session = attendee.session
    title = _("Attestation de stage de sensibilisation à la sécurité routière")
    document = Document(title, subject=f"stage-{session.pk}-{attendee.neph}")
    pdf = document.canvas
    left = 20 * mm
    y = document.height - 25 * mm
    document.letterhead(left, y)
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(left, y - 18 * mm, str(title))
    y -= 32 * mm
    centre = session.centre
    rows = [
        (_("Stagiaire"), f"{attendee.first_names} {attendee.birth_name}"),
        (_("Numéro de dossier (NEPH)"), format_neph(attendee.neph)),
        (_("Date de naissance"), attendee.birth_date.strftime("%d/%m/%Y")),
        (
            _("Stage"),
            _("du %(start)s au %(end)s")
            % {
                "start": session.starts_on.strftime("%d/%m/%Y"),
                "end": session.ends_on.strftime("%d/%m/%Y"),
            },
        ),
        (_("Lieu"), f"{session.address}, {session.postal_code} {session.commune}"),
        (_("Centre"), f"{centre.organisation_name or centre.username} ({session.approval_number})"),
        (_("Animateurs"), session.facilitators),
        (
            _("Points"),
            _("%(before)s → %(after)s points") % {
                "before": attendee.points_before, "after": attendee.points_after,
            },
        ),
    ]  # fmt: skip
    for label, value in rows:
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(left, y, str(label))
        pdf.setFont("Helvetica", 10)
        pdf.drawString(left + 50 * mm, y, str(value)[:85])
        y -= 7 * mm
    return document.bytes()


@task(queue_name="mail")
def send_attestations(*, attendee_ids: list[int]) -> int:
    """One e-mail per credited attendee, the attestation attached."""
    sent = 0
    for attendee in StageAttendee.objects.filter(
        pk__in=attendee_ids, status=AttendeeStatus.CREDITE
    ).select_related("session", "session__centre"):
        pdf = base64.b64encode(render_attestation_pdf(attendee)).decode()
        notify_email(
            template="permis/emails/stage_attestation",
            to=attendee.email,
            context={
                "name": f"{attendee.first_names} {attendee.birth_name}",
                "start": attendee.session.starts_on.strftime("%d/%m/%Y"),
                "end": attendee.session.ends_on.strftime("%d/%m/%Y"),
                "before": attendee.points_before,
                "after": attendee.points_after,
            },
            attachments=[(f"attestation-stage-{attendee.session_id}.pdf", pdf, "application/pdf")],
        )
        sent += 1
    return sent
