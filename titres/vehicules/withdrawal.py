"""What a withdrawn operation (an address change or a duplicate undone, a
new vehicle's registration annulled: rejected or abandoned after
submission) does alike: the taxes refunded after commit, the notice lines
about the CPI and the refund, and the filer's e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from titres.core.notifications import notify_email
from titres.core.pdf import amount
from titres.procedures.enums import Status
from titres.procedures.notifications import demarche_url

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
    and, for a file filed under mandate, the client's when the
    professional gave an address (`notify_client_of_withdrawal`) — the only
    one once a terminated habilitation deleted the professional's account."""
    notify_client_of_withdrawal(demarche, record)
    if demarche.owner_id is None:
        return
    notify_email(
        template="vehicules/emails/operation_annulee",
        to=demarche.owner.email,
        context={
            "number": demarche.display_number,
            "title": str(demarche.title),
            "plate": record.vehicle.plate_display,
            "lines": [str(line) for line in lines],
            "abandoned": demarche.status == Status.ABANDONNEE,
            "url": demarche_url(demarche),
        },
    )


def notify_client_of_withdrawal(demarche, record) -> None:
    """The client of a mandate learns that the file registered in their
    name (they were told at submission: professionnels/mandate.py) was
    rejected or abandoned: what no longer stands (the CPI) and the refund,
    without a link (the client has no account on the file). The
    filer's notices speak to the professional (« vous pouvez déposer… »),
    so the client reads only the neutral lines."""
    from .professionnels.mandate import client_name, is_mandate

    acting_for = demarche.acting_for or {}
    if not is_mandate(demarche) or not acting_for.get("email"):
        return
    detached = demarche.owner_id is None
    notify_email(
        template="vehicules/emails/mandat_annule",
        to=acting_for["email"],
        context={
            "client": client_name(demarche),
            "professional": acting_for.get("professionnel", "")
            or (demarche.detached_filer or {}).get("raison_sociale", ""),
            "habilitation": acting_for.get("habilitation", ""),
            "number": demarche.display_number,
            "title": str(demarche.title),
            "plate": record.vehicle.plate_display,
            "lines": [str(line) for line in cpi_and_refund_lines(record)],
            "abandoned": demarche.status == Status.ABANDONNEE,
            "detached": detached,
            "site_url": settings.SITE_URL + reverse("core:home"),
        },
    )


def unrefunded_withdrawals():
    """(model, record) of every filed vehicle operation rejected or
    abandoned whose taxes were paid and never refunded: the changes of
    holder abandoned before migration 0010 (nothing refunded them then), and
    any refund that failed after its withdrawal committed (provider down)."""
    from .changement.payment import PAYABLE

    for model in dict.fromkeys(payable.model for payable in PAYABLE.values()):
        records = model.objects.filter(
            demarche__submitted_at__isnull=False,
            demarche__status__in=(Status.REJETEE, Status.ABANDONNEE),
            paid_at__isnull=False,
            refunded_at__isnull=True,
        ).exclude(payment_reference="")
        for record in records.select_related("demarche").order_by("pk"):
            yield model, record


def refund_withdrawals(*, actor=None, dry_run: bool = False) -> tuple[list[str], list[str]]:
    """Refund each of `unrefunded_withdrawals` through `refund_taxes` (the
    provider, the ledger, `refunded_at`, `vehicules.taxes_refunded`), then
    each draft of `drafts.unfiled_payments` (paid, refused at filing, its
    refund failed) through `drafts.refund_unfiled_payment`, each
    in its own transaction: idempotent, a second run finds nothing. Returns
    the file numbers refunded (or to refund, with `dry_run`) and the
    failures, each with its reason."""
    done, failed = [], []
    for model, record in list(unrefunded_withdrawals()):
        number = record.demarche.number
        if dry_run:
            done.append(number)
            continue
        try:
            with transaction.atomic():
                refund_taxes(model=model, record_id=record.pk, actor=actor)
        except Exception as error:  # noqa: BLE001 - reported, the others still run
            failed.append(f"{number} : {error}")
        else:
            done.append(number)
    # Drafts paid but refused at filing whose immediate refund failed.
    from .drafts import refund_unfiled_payment, unfiled_payments

    for model, record, motif in list(unfiled_payments()):
        number = record.demarche.number
        if dry_run:
            done.append(number)
            continue
        try:
            refund_unfiled_payment(
                model=model,
                record_id=record.pk,
                reference=record.payment_reference,
                motif=motif,
                actor=actor,
            )
        except Exception as error:  # noqa: BLE001 - reported, the others still run
            failed.append(f"{number} : {error}")
        else:
            done.append(number)
    return done, failed
