"""A rejected address change or duplicate is undone. Unlike the change of
holder (written to the registry at the CERT's validation), these two
procedures write the registry at submission (adresse.on_submitted,
duplicata.on_submitted); the CERT's `rejeter`, heard from the engine's
`status_changed` signal inside the transition's transaction, therefore
puts the registry back as it was (services/reverts.py: the cancelled
certificate restored, the old address and certificate back), withdraws
the CPI, journals it, and after commit refunds the duplicate's taxes
through the payment provider and e-mails the filer. The file page and the
finalisation page say what happened (`notices`). A file the filer
abandons after submission, before an agent takes it (`on_abandoned`, the
engine's abandon hook, in the same transaction), is undone and refunded
the same way."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core.journal import record_event
from titres.procedures.enums import Status
from titres.procedures.workflow import status_changed

from ..audit import VehiculesEvent
from ..enums import CertificateOperationKind, PlateSystem
from ..models import CertificateOperation
from ..plates import display_form
from ..services.reverts import restore_cancelled_certificate, revert_address_change
from ..withdrawal import cpi_and_refund_lines, notify_filer, refund_after_commit
from . import common, state

CODES = ("vehicule-changement-adresse", "vehicule-duplicata")


@receiver(status_changed, dispatch_uid="vehicules_certificat_decisions")
def _on_status_changed(sender, demarche, change, event, **kwargs):
    if event == "rejeter" and demarche.procedure_code in CODES:
        revert_operation(demarche, actor=change.actor)


def on_abandoned(demarche, *, actor) -> None:
    """A draft holds nothing; a submitted file abandoned is undone."""
    revert_operation(demarche, actor=actor)


def revert_operation(demarche, *, actor, request=None) -> CertificateOperation | None:
    """Undo what the submission wrote (once: a second call does nothing)."""
    if not CertificateOperation.objects.filter(demarche=demarche).exists():
        return None
    operation, vehicle = common.lock_operation(demarche)
    if operation.reverted_at is not None or operation.registered_at is None:
        return operation
    expected = {
        "vehicle": vehicle,
        "demarche_number": demarche.number,
        "actor": actor,
        "expected_plate": operation.new_plate,
        "expected_formule": operation.new_formule,
        "abandoned": demarche.status == Status.ABANDONNEE,
        "request": request,
    }
    if operation.kind == CertificateOperationKind.DUPLICATA:
        undone = restore_cancelled_certificate(**expected)
    else:
        undone = revert_address_change(
            **expected,
            old_plate=operation.old_plate,
            old_formule=operation.old_formule,
            old_ci_date=operation.old_ci_date,
        )
    operation.reverted_at = timezone.now()
    operation.registry_restored = undone is not None
    operation.save(update_fields=["reverted_at", "registry_restored"])
    record_event(
        VehiculesEvent.OPERATION_REVERTED,
        actor=actor,
        request=request,
        target=demarche,
        data={
            "operation": operation.kind,
            "registre_retabli": operation.registry_restored,
            "cpi_retire": operation.cpi_number,
        },
    )
    refund_after_commit(operation, actor=actor)
    notify_filer(demarche, operation, notices(demarche))
    return operation


def _old_card(operation: CertificateOperation) -> str:
    if operation.old_formule:
        return operation.old_formule
    return display_form(PlateSystem.FNI, operation.old_plate) if operation.old_plate else ""


def notices(demarche) -> list[str]:
    """What the filer reads about a rejected file on its pages and in the
    e-mail: the registry put back (or why not), the CPI withdrawn, the
    taxes refunded."""
    operation = state.operation_of(demarche)
    if operation is None or operation.reverted_at is None:
        return []
    lines = [
        _("Vous avez abandonné la demande : elle est annulée dans le système d’immatriculation.")
        if demarche.status == Status.ABANDONNEE
        else _("Votre demande a été rejetée : elle est annulée dans le système d’immatriculation.")
    ]
    if not operation.registry_restored:
        lines.append(
            _(
                "Le véhicule a fait l’objet d’une autre opération depuis le dépôt de la demande : "
                "le système d’immatriculation reste tel que cette opération l’a laissé."
            )
        )
    elif operation.kind == CertificateOperationKind.DUPLICATA:
        lines.append(
            _("Votre carte grise n° %(card)s est de nouveau valable.")
            % {"card": _old_card(operation)}
        )
    else:
        lines.append(_("L’adresse inscrite sur votre carte grise redevient l’ancienne adresse."))
        if operation.new_certificate:
            lines.append(
                _("Votre carte grise n° %(card)s est de nouveau valable.")
                % {"card": _old_card(operation)}
            )
    return lines + cpi_and_refund_lines(operation)
