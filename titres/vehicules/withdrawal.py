"""What a withdrawn operation (an address change or a duplicate undone, a
new vehicle's registration annulled: rejected or abandoned after
submission) does alike: the taxes refunded after commit, the notice lines
about the CPI and the refund, and the filer's e-mail."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from titres.core.notifications import notify_email
from titres.core.pdf import amount
from titres.procedures.enums import Status
from titres.procedures.notifications import demarche_url, filer_contact

from .changement.payment import refund_taxes


def refund_after_commit(record, *, actor) -> None:
    """The taxes paid on `record` refunded through the provider once the
    withdrawal is committed (never for an unpaid or already refunded one)."""
    if record.paid_at and not record.refunded_at and record.payment_reference:
        model, pk = type(record), record.pk
        transaction.on_commit(lambda: refund_taxes(model=model, record_id=pk, actor=actor))


def cpi_and_refund_lines(record) -> list[str]:
    lines = []
    if record.cpi_number:
        lines.append(
            _(
                "Le certificat provisoire d’immatriculation n° %(cpi)s est retiré : il ne vaut "
                "plus titre de circulation."
            )
            % {"cpi": record.cpi_number}
        )
    if record.paid_at:
        lines.append(
            _(
                "Les taxes payées (%(amount)s) sont remboursées sur la carte bancaire qui a servi "
                "au paiement, sous quelques jours."
            )
            % {"amount": amount(record.amount_cents)}
        )
    return lines


def notify_filer(demarche, record, lines) -> None:
    """The filer's e-mail (sent after commit), besides the status change's;
    the client's, for a file detached from a terminated professional."""
    email, _phone = filer_contact(demarche)
    if not email:
        return
    notify_email(
        template="vehicules/emails/operation_annulee",
        to=email,
        context={
            "number": demarche.display_number,
            "title": str(demarche.title),
            "plate": record.vehicle.plate_display,
            "lines": [str(line) for line in lines],
            "abandoned": demarche.status == Status.ABANDONNEE,
            "url": demarche_url(demarche) if demarche.owner_id else "",
        },
    )
