"""Writes of the back office. Every status change goes through the
engine's `apply_transition` (one history row each); every opening of a
file, a document or a registry record is journaled."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.core.journal import record_event
from titres.instruction.audit import InstructionEvent
from titres.procedures import services as procedure_services
from titres.procedures.enums import Role, Status
from titres.procedures.hooks import agent_panel_of, reject_reasons_of
from titres.procedures.locks import lock_demarche
from titres.procedures.models import Demarche
from titres.procedures.workflow import TransitionRefused, apply_transition

from .access import role_on
from .enums import ACTING_ROLES, AgentRole, RejectReason
from .models import AgentMembership, Assignment, ProductionOrder

READ_ONLY = gettext_lazy("Votre rôle (lecture seule) ne permet pas d’agir sur les demandes.")


def acting_role(user, demarche: Demarche) -> str:
    """The engine role `user` acts with on `demarche`, or PermissionDenied."""
    role = role_on(user, demarche.authority_id)
    if role not in ACTING_ROLES:
        raise PermissionDenied(READ_ONLY)
    return role


# --- Journal of consultations -------------------------------------------------


def record_file_view(
    *, demarche: Demarche, user, role: str | None, request=None, what: str = "dossier"
) -> None:
    """`role`: the user's `role_on` the file's authority, which the view has
    already looked up."""
    record_event(
        InstructionEvent.DOSSIER_VIEWED,
        actor=user,
        actor_role=role or "",
        request=request,
        target=demarche,
        data={"demarche": demarche.number, "vue": what},
    )


def record_registry_view(
    *, consultation, demarche: Demarche, user, role: str | None, request=None
) -> None:
    """A registry record shown on the file page (the procedure's agent
    panel says which event, record and data)."""
    record_event(
        consultation.event,
        actor=user,
        actor_role=role or "",
        request=request,
        target=consultation.target,
        data={**consultation.data, "demarche": demarche.number},
    )


def record_document_view(*, document, user, request=None, page: int | None = None) -> None:
    if page is None:
        procedure_services.record_document_view(document=document, user=user, request=request)
        return
    record_event(
        InstructionEvent.PAGE_VIEWED,
        actor=user,
        actor_role=role_on(user, document.demarche.authority_id) or "",
        request=request,
        target=document,
        data={"demarche": document.demarche.number, "piece": document.code, "page": page},
    )


# --- Assignment --------------------------------------------------------------


def _assign(demarche: Demarche, agent, by) -> Assignment:
    # update_or_create locks the assignment row: the démarche first (the
    # lock order of titres/procedures/locks.py).
    lock_demarche(demarche.pk)
    assignment, _created = Assignment.objects.update_or_create(
        demarche=demarche, defaults={"agent": agent, "assigned_by": by}
    )
    return assignment


@transaction.atomic
def assign(*, demarche: Demarche, agent, actor, request=None) -> Assignment:
    """The chef de service gives a file to an agent of the authority."""
    if role_on(actor, demarche.authority_id) != AgentRole.CHEF_DE_SERVICE:
        raise PermissionDenied(_("Seul le chef de service assigne les demandes."))
    if role_on(agent, demarche.authority_id) not in ACTING_ROLES:
        raise ValidationError(_("Cet agent ne peut pas instruire les demandes de cette autorité."))
    assignment = _assign(demarche, agent, actor)
    record_event(
        InstructionEvent.DOSSIER_ASSIGNED,
        actor=actor,
        actor_role=AgentRole.CHEF_DE_SERVICE,
        request=request,
        target=demarche,
        data={"demarche": demarche.number, "agent": agent.username},
    )
    return assignment


@transaction.atomic
def take(*, demarche: Demarche, agent, request=None) -> Assignment:
    """An agent takes a file: it is assigned to them and marked as under
    instruction ("prise en charge") when still new."""
    role = acting_role(agent, demarche)
    assignment = _assign(demarche, agent, agent)
    if demarche.status == Status.EN_COURS and not demarche.taken_at:
        apply_transition(
            demarche=demarche, event="prendre_en_charge", actor=agent, role=role, request=request
        )
    else:
        record_event(
            InstructionEvent.DOSSIER_TAKEN,
            actor=agent,
            actor_role=role,
            request=request,
            target=demarche,
            data={"demarche": demarche.number},
        )
    return assignment


def _act(demarche, agent, event, *, comment="", request=None, data=None):
    role = acting_role(agent, demarche)
    change = apply_transition(
        demarche=demarche,
        event=event,
        actor=agent,
        role=role,
        comment=comment,
        request=request,
        data=data,
    )
    if not Assignment.objects.filter(demarche=demarche).exists():
        _assign(demarche, agent, agent)
    return change


@transaction.atomic
def validate(*, demarche: Demarche, agent, decision: str = "", request=None):
    """Validate the file. If its procedure's agent panel finds differences
    with the registry that need a decision, the agent's decision on which
    data is right is required and written in the history (comment and
    data)."""
    panel = agent_panel_of(demarche)
    if panel is None or not panel.decision_required:
        return _act(demarche, agent, "valider", request=request)
    chosen = next((d for d in panel.decision_choices if d.value == decision), None)
    if chosen is None:
        raise ValidationError(panel.decision_message)
    return _act(
        demarche,
        agent,
        "valider",
        comment=panel.decision_comment
        % {"fields": ", ".join(panel.differences), "retained": chosen.retained},
        data={"differences": list(panel.differences), "decision": chosen.value},
        request=request,
    )


@transaction.atomic
def suspend(*, demarche: Demarche, agent, body: str, request=None):
    """Suspend the file with a request for information or documents: the
    citizen is notified and the file waits for them ("En attente
    télédéclarant")."""
    role = acting_role(agent, demarche)
    message = procedure_services.request_complement(
        demarche=demarche, agent=agent, role=role, body=body, request=request
    )
    if not Assignment.objects.filter(demarche=demarche).exists():
        _assign(demarche, agent, agent)
    return message


def reject_reasons(demarche: Demarche) -> list[tuple[str, str]]:
    """The reasons offered to reject this file: missing or wrong documents,
    then those of its procedure's own checks, then the reasons common to
    every file (fraud, competence, other)."""
    first, *others = RejectReason.choices
    return [first, *reject_reasons_of(demarche), *others]


def reject_comment(demarche: Demarche, reason: str, text: str) -> str:
    label = dict(reject_reasons(demarche)).get(reason)
    if label is None:
        raise ValidationError(_("Choisissez un motif de rejet dans la liste."))
    text = (text or "").strip()
    if reason == RejectReason.AUTRE and not text:
        raise ValidationError(_("Précisez le motif du rejet."))
    return f"{label}. {text}".strip() if text else str(label)


@transaction.atomic
def reject(*, demarche: Demarche, agent, reason: str, text: str = "", request=None):
    comment = reject_comment(demarche, reason, text)
    return _act(
        demarche, agent, "rejeter", comment=comment, request=request, data={"motif": reason}
    )


@transaction.atomic
def transmit(*, demarche: Demarche, agent, request=None) -> ProductionOrder:
    """Send a validated file to the title factory (production order)."""
    from .production import create_order

    change = _act(demarche, agent, "transmettre_production", request=request)
    return create_order(demarche=demarche, actor=agent, change=change)


# --- Bulk actions for the chef de service ----------------------------------------

BULK_ACTIONS = {
    "valider": (validate, Status.EN_COURS),
    "transmettre": (transmit, Status.VALIDEE),
}


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def bulk(*, action: str, demarches, agent, request=None) -> BulkResult:
    """Validate or transmit several files; a file not in the right state is
    refused (and named) without stopping the others. Each file is its own
    transaction."""
    membership_roles = dict(
        AgentMembership.objects.filter(user=agent).values_list("authority_id", "role")
    )
    function, expected = BULK_ACTIONS[action]
    result = BulkResult()
    for demarche in demarches:
        number = demarche.display_number
        if membership_roles.get(demarche.authority_id) != AgentRole.CHEF_DE_SERVICE:
            result.refused.append(
                (number, _("Les actions groupées sont réservées au chef de service."))
            )
            continue
        if demarche.status != expected:
            result.refused.append(
                (
                    number,
                    _("Action impossible : la démarche est au statut « %(status)s ».")
                    % {"status": demarche.get_status_display()},
                )
            )
            continue
        try:
            function(demarche=demarche, agent=agent, request=request)
        except (TransitionRefused, PermissionDenied, ValidationError) as error:
            message = getattr(error, "message", None) or " ".join(
                getattr(error, "messages", [str(error)])
            )
            result.refused.append((number, str(message)))
        else:
            result.done.append(number)
    return result


__all__ = [
    "READ_ONLY",
    "Role",
    "acting_role",
    "assign",
    "bulk",
    "record_document_view",
    "record_file_view",
    "record_registry_view",
    "reject",
    "suspend",
    "take",
    "transmit",
    "validate",
]
