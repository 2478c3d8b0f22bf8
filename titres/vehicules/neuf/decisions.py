"""A rejected new vehicle's registration is withdrawn. The submission
entered the vehicle in the registry with a new number and issued a CPI
(procedure.on_submitted); the CERT's `rejeter`, heard from the engine's
`status_changed` signal inside the transition's transaction, therefore
annuls the registration (services/reverts.cancel_first_registration: an
« immatriculation annulée » inscription, the number never reallotted),
withdraws the CPI, journals it, and after commit refunds the taxes through
the payment provider and e-mails the dealer. The file page and the
finalisation page say what happened (`notices`). A file the dealer
abandons after submission, before an agent takes it (`on_abandoned`, the
engine's abandon hook, in the same transaction), is withdrawn and refunded
the same way."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core.journal import record_event
from titres.procedures.enums import Status
from titres.procedures.workflow import status_changed

from ..audit import VehiculesEvent
from ..services.reverts import cancel_first_registration
from ..withdrawal import cpi_and_refund_lines, notify_filer, refund_after_commit
from . import state
from .models import NewRegistration


@receiver(status_changed, dispatch_uid="vehicules_neuf_decisions")
def _on_status_changed(sender, demarche, change, event, **kwargs):
    if event == "rejeter" and demarche.procedure_code == state.CODE:
        withdraw_registration(demarche, actor=change.actor)


def on_abandoned(demarche, *, actor) -> None:
    """A draft holds nothing (no vehicle yet); a submitted file abandoned
    is withdrawn."""
    withdraw_registration(demarche, actor=actor)


def withdraw_registration(demarche, *, actor, request=None) -> NewRegistration | None:
    """Undo what the submission wrote (once: a second call does nothing)."""
    record = NewRegistration.objects.select_for_update().filter(demarche=demarche).first()
    if record is None or record.withdrawn_at is not None or record.vehicle_id is None:
        return record
    cancelled = cancel_first_registration(
        vehicle=record.vehicle,
        demarche_number=demarche.number,
        actor=actor,
        abandoned=demarche.status == Status.ABANDONNEE,
        request=request,
    )
    record.withdrawn_at = timezone.now()
    record.registration_cancelled = cancelled is not None
    record.save(update_fields=["withdrawn_at", "registration_cancelled"])
    record_event(
        VehiculesEvent.NEW_REGISTRATION_WITHDRAWN,
        actor=actor,
        request=request,
        target=demarche,
        data={
            "immatriculation": record.new_plate,
            "immatriculation_annulee": record.registration_cancelled,
            "cpi_retire": record.cpi_number,
        },
    )
    refund_after_commit(record, actor=actor)
    notify_filer(demarche, record, notices(demarche))
    return record


def notices(demarche) -> list[str]:
    """What the dealer reads about a rejected file on its pages and in the
    e-mail: the registration annulled (or why not), the CPI withdrawn, the
    taxes refunded."""
    record = state.record_of(demarche)
    if record is None or record.withdrawn_at is None:
        return []
    lines = [
        _("Vous avez abandonné la demande : elle est annulée dans le système d’immatriculation.")
        if demarche.status == Status.ABANDONNEE
        else _("La demande a été rejetée : elle est annulée dans le système d’immatriculation.")
    ]
    if record.registration_cancelled:
        lines.append(
            _(
                "L’immatriculation %(plate)s est annulée : le véhicule ne peut pas circuler sous "
                "ce numéro, qui ne sera attribué à aucun autre véhicule."
            )
            % {"plate": record.vehicle.plate_display}
        )
    else:
        lines.append(
            _(
                "Le véhicule a fait l’objet d’une autre opération depuis le dépôt de la demande : "
                "le système d’immatriculation reste tel que cette opération l’a laissé."
            )
        )
    return lines + cpi_and_refund_lines(record)
