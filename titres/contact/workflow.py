"""The ticket workflow as data: (from status, event) -> to status, and who
may trigger it. Every other transition is refused; services.transition is
the only place that changes `Ticket.status`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import TicketStatus as S


class TicketEvent(models.TextChoices):
    PRENDRE_EN_CHARGE = "prendre_en_charge", _("Prendre en charge")
    REPONDRE = "repondre", _("Répondre")
    RELANCER = "relancer", _("Compléter la demande")
    CLORE = "clore", _("Clore")
    ROUVRIR = "rouvrir", _("Rouvrir")


OPERATEUR = "operateur"
USAGER = "usager"

# (from, event): (to, who may)
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.NOUVEAU, TicketEvent.PRENDRE_EN_CHARGE): (S.EN_COURS, OPERATEUR),
    (S.NOUVEAU, TicketEvent.REPONDRE): (S.REPONDU, OPERATEUR),
    (S.EN_COURS, TicketEvent.REPONDRE): (S.REPONDU, OPERATEUR),
    # A second answer (after a follow-up was answered in the same thread).
    (S.REPONDU, TicketEvent.REPONDRE): (S.REPONDU, OPERATEUR),
    # The sender writes again after an answer: back in the operators' work.
    (S.REPONDU, TicketEvent.RELANCER): (S.EN_COURS, USAGER),
    (S.NOUVEAU, TicketEvent.RELANCER): (S.NOUVEAU, USAGER),
    (S.EN_COURS, TicketEvent.RELANCER): (S.EN_COURS, USAGER),
    (S.NOUVEAU, TicketEvent.CLORE): (S.CLOS, OPERATEUR),
    (S.EN_COURS, TicketEvent.CLORE): (S.CLOS, OPERATEUR),
    (S.REPONDU, TicketEvent.CLORE): (S.CLOS, OPERATEUR),
    (S.CLOS, TicketEvent.ROUVRIR): (S.EN_COURS, OPERATEUR),
}


def target(status: str, event: str, who: str) -> str | None:
    """The status `event` leads to from `status` when `who` triggers it, or None."""
    found = TRANSITIONS.get((status, event))
    if found is None or found[1] != who:
        return None
    return found[0]


def operator_events(status: str) -> list[str]:
    return [
        event
        for (source, event), (_to, who) in TRANSITIONS.items()
        if source == status and who == OPERATEUR
    ]
