"""The state machine of every démarche (DESIGN.md §4), as data in one place.

`TRANSITIONS` lists (event, from, to, roles, guard). `apply_transition` is the
only code that changes `Demarche.status`: it locks the row, checks the role
(and that the actor really holds it), the guard and the comment, writes the
history row and the audit event, and schedules the notifications after commit.

"Prise en charge": an agent's first action marks the file as under
instruction (`taken_at`); `prendre_en_charge` does it explicitly without
changing the status (EN_COURS stays "En cours / Analyse par le service
instructeur"). From then on the citizen can no longer abandon the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from titres.core.journal import record_event
from titres.procedures.audit import ProceduresEvent

from .access import roles_of
from .enums import Role, Status
from .locks import lock_demarche
from .models import Demarche, StatusChange
from .notifications import notify_status_change
from .registry import find_procedure

# Sent inside the transaction after each transition (kwargs: demarche,
# change, event). Receivers with side effects must use transaction.on_commit.
status_changed = Signal()

AGENTS = frozenset({Role.AGENT_INSTRUCTEUR, Role.CHEF_DE_SERVICE})


class TransitionRefused(Exception):
    """A transition that may not happen; nothing was changed.

    `errors` lists (step slug, message) when the refusal comes from the
    final validation of the wizard. A procedure's `on_submitted` hook may
    raise it too, to cancel a submission with a message shown next to a
    step of the récapitulatif (slug "" for a general message)."""

    def __init__(self, message, *, code: str = "refused", errors=None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.errors = errors or []


def _guard_complete(demarche: Demarche) -> str | None:
    definition = find_procedure(demarche.procedure_code)
    if definition is None:
        return _("Cette téléprocédure n’est plus disponible.")
    errors = definition.errors(demarche)
    if errors:
        raise TransitionRefused(
            _("La demande est incomplète : vérifiez les étapes signalées."),
            code="incomplete",
            errors=errors,
        )
    return None


def _guard_filer_has_account(demarche: Demarche) -> str | None:
    # Nobody could answer: the filer's account was deleted with its
    # terminated habilitation (personal_data.detach).
    if demarche.owner_id is None:
        return _(
            "Le télédéclarant de cette démarche n’a plus de compte (habilitation résiliée) : "
            "il ne peut pas compléter la demande. Validez-la ou rejetez-la."
        )
    return None


def _guard_filer_detached(demarche: Demarche) -> str | None:
    # Only a file whose filer's account was deleted goes back to the
    # service without its complement (personal_data.detach).
    if demarche.owner_id is not None:
        return _(
            "Le télédéclarant de cette démarche a toujours son compte : c’est à lui de "
            "compléter la demande."
        )
    return None


def _guard_not_taken(demarche: Demarche) -> str | None:
    if demarche.taken_at:
        return _(
            "Cette démarche est en cours d’instruction par le service instructeur : "
            "elle ne peut plus être abandonnée."
        )
    return None


@dataclass(frozen=True)
class Transition:
    event: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    guard: Callable[[Demarche], str | None] | None = None
    comment_required: bool = False
    comment_label: str = ""
    takes: bool = False  # marks the file as under instruction
    stamp: str | None = None  # timestamp field set on the démarche


def _t(event, label, sources, target, roles, **kwargs) -> Transition:
    return Transition(event, label, frozenset(sources), target, frozenset(roles), **kwargs)


S = Status
TRANSITIONS: dict[str, Transition] = {
    t.event: t
    for t in [
        _t(
            "soumettre",
            _("Demande déposée"),
            [S.BROUILLON],
            S.EN_COURS,
            [Role.USAGER],
            guard=_guard_complete,
            stamp="submitted_at",
        ),
        _t(
            "abandonner",
            _("Demande abandonnée par le télédéclarant"),
            [S.BROUILLON, S.EN_COURS],
            S.ABANDONNEE,
            [Role.USAGER],
            guard=_guard_not_taken,
        ),
        _t(
            "expirer_brouillon",
            _("Brouillon abandonné : resté sans modification trop longtemps"),
            [S.BROUILLON],
            S.ABANDONNEE,
            [Role.SYSTEME],
        ),
        _t(
            "prendre_en_charge",
            _("Demande prise en charge par le service instructeur"),
            [S.EN_COURS],
            S.EN_COURS,
            AGENTS,
            guard=lambda d: _("Cette démarche est déjà prise en charge.") if d.taken_at else None,
            takes=True,
        ),
        _t(
            "demander_complement",
            _("Demande suspendue : complément demandé"),
            [S.EN_COURS],
            S.EN_ATTENTE_USAGER,
            AGENTS,
            comment_required=True,
            comment_label=_("Indiquez les informations ou documents attendus."),
            takes=True,
            guard=_guard_filer_has_account,
        ),
        _t(
            "teledeclarant_detache",
            _(
                "Demande rendue au service instructeur : le compte du télédéclarant est "
                "supprimé (habilitation résiliée)"
            ),
            [S.EN_ATTENTE_USAGER],
            S.EN_COURS,
            [Role.SYSTEME],
            guard=_guard_filer_detached,
        ),
        _t(
            "completer",
            _("Recueil complémentaire soumis par le télédéclarant"),
            [S.EN_ATTENTE_USAGER],
            S.EN_COURS,
            [Role.USAGER],
        ),
        _t(
            "rejeter",
            _("Demande rejetée"),
            [S.EN_COURS],
            S.REJETEE,
            AGENTS,
            comment_required=True,
            comment_label=_("Le motif du rejet est obligatoire."),
            takes=True,
            stamp="decided_at",
        ),
        _t(
            "valider",
            _("Demande validée"),
            [S.EN_COURS],
            S.VALIDEE,
            AGENTS,
            takes=True,
            stamp="decided_at",
        ),
        _t(
            "transmettre_production",
            _("Demande transmise pour fabrication"),
            [S.VALIDEE],
            S.EN_PRODUCTION,
            AGENTS | {Role.SYSTEME},
        ),
        _t(
            "echec_production",
            _("Fabrication du titre en échec : demande à transmettre de nouveau"),
            [S.EN_PRODUCTION],
            S.VALIDEE,
            [Role.SYSTEME],
            comment_required=True,
            comment_label=_("La cause de l’échec de fabrication est obligatoire."),
        ),
        _t(
            "terminer",
            _("Titre fabriqué et envoyé"),
            [S.EN_PRODUCTION],
            S.TERMINEE,
            [Role.SYSTEME],
        ),
    ]
}


def allowed_events(demarche: Demarche, role: str) -> list[Transition]:
    """Transitions `role` could attempt now (guards not evaluated)."""
    return [t for t in TRANSITIONS.values() if demarche.status in t.sources and role in t.roles]


def _check_actor(demarche: Demarche, actor, role: str) -> None:
    if role == Role.SYSTEME:
        if actor is not None:
            raise TransitionRefused(_("Seule la plateforme agit en tant que système."), code="role")
        return
    if actor is None or role not in roles_of(actor, demarche):
        raise TransitionRefused(_("Vous n’avez pas ce rôle sur cette démarche."), code="role")


def _run_abandon_hook(demarche: Demarche, actor) -> None:
    """The procedure's `on_abandoned(demarche, *, actor)` (e.g. give back a
    reserved stamp), in the transaction of the transition."""
    definition = find_procedure(demarche.procedure_code)
    if definition is not None and definition.on_abandoned:
        definition.on_abandoned(demarche, actor=actor)


@transaction.atomic
def apply_transition(
    *,
    demarche: Demarche,
    event: str,
    actor,
    role: str,
    comment: str = "",
    request=None,
    data: dict | None = None,
) -> StatusChange:
    """Apply `event` to `demarche` as `actor` acting with `role`.

    Raises TransitionRefused (nothing changed) when the event is unknown, not
    allowed from the current status or for the role, the actor does not hold
    the role, the guard refuses or a required comment is missing.
    `actor` is None for the system. `demarche` is refreshed in place.
    """
    transition = TRANSITIONS.get(event)
    if transition is None:
        raise TransitionRefused(_("Action inconnue."), code="unknown")
    locked = lock_demarche(demarche.pk)  # step 1 of the lock order (locks.py)
    if locked.status not in transition.sources:
        raise TransitionRefused(
            _("Action impossible : la démarche est au statut « %(status)s ».")
            % {"status": locked.get_status_display()},
            code="status",
        )
    if role not in transition.roles:
        raise TransitionRefused(_("Cette action n’est pas permise à votre rôle."), code="role")
    _check_actor(locked, actor, role)
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise TransitionRefused(transition.comment_label, code="comment")
    if transition.guard:
        refusal = transition.guard(locked)
        if refusal:
            raise TransitionRefused(refusal, code="guard")

    now = timezone.now()
    from_status = locked.status
    locked.status = transition.target
    fields = ["status", "updated_at"]
    if transition.stamp:
        setattr(locked, transition.stamp, now)
        fields.append(transition.stamp)
    if transition.takes and not locked.taken_at:
        locked.taken_at = now
        fields.append("taken_at")
    locked.save(update_fields=fields)
    change = StatusChange.objects.create(
        demarche=locked,
        from_status=from_status,
        to_status=transition.target,
        event=event,
        label=str(transition.label),
        actor=actor,
        actor_role=role,
        comment=comment,
    )
    record_event(
        ProceduresEvent.DEMARCHE_TRANSITION,
        actor=actor,
        actor_role=role,
        request=request,
        target=locked,
        data={"event": event, "from": from_status, "to": transition.target, **(data or {})},
    )
    if from_status != transition.target:
        notify_status_change(locked, change)
    status_changed.send(sender=Demarche, demarche=locked, change=change, event=event)
    if transition.target == Status.ABANDONNEE:
        _run_abandon_hook(locked, actor)
    # The caller's instance reflects the new state.
    for name in ["status", "updated_at", "taken_at", "submitted_at", "decided_at"]:
        setattr(demarche, name, getattr(locked, name))
    return change
