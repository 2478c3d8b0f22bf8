"""The transitions table, walked exhaustively: every (status, event, role)."""

import itertools

import pytest
from django.db import transaction

from titres.core.models import AuditEvent
from titres.procedures.enums import Role, Status
from titres.procedures.models import Demarche, StatusChange
from titres.procedures.workflow import TRANSITIONS, TransitionRefused, apply_transition

from .factories import DemarcheFactory, UserFactory, agent

pytestmark = pytest.mark.django_db

U, A, C, R, SYS = (
    Role.USAGER,
    Role.AGENT_INSTRUCTEUR,
    Role.CHEF_DE_SERVICE,
    Role.LECTURE_SEULE,
    Role.SYSTEME,
)
# Written out by hand from DESIGN.md §4 (not derived from the code's table):
# (state, event) -> (roles allowed, resulting status). "EN_COURS" is a
# submitted file nobody took yet, "EN_COURS_PRIS" one under instruction.
EXPECTED = {
    ("BROUILLON", "soumettre"): ({U}, "EN_COURS"),
    ("BROUILLON", "abandonner"): ({U}, "ABANDONNEE"),
    ("EN_COURS", "abandonner"): ({U}, "ABANDONNEE"),
    ("BROUILLON", "expirer_brouillon"): ({SYS}, "ABANDONNEE"),
    ("EN_COURS", "prendre_en_charge"): ({A, C}, "EN_COURS"),
    ("EN_COURS", "demander_complement"): ({A, C}, "EN_ATTENTE_USAGER"),
    ("EN_COURS_PRIS", "demander_complement"): ({A, C}, "EN_ATTENTE_USAGER"),
    ("EN_COURS", "rejeter"): ({A, C}, "REJETEE"),
    ("EN_COURS_PRIS", "rejeter"): ({A, C}, "REJETEE"),
    ("EN_COURS", "valider"): ({A, C}, "VALIDEE"),
    ("EN_COURS_PRIS", "valider"): ({A, C}, "VALIDEE"),
    ("EN_ATTENTE_USAGER", "completer"): ({U}, "EN_COURS"),
    # Only for a file without owner (a terminated habilitation's): the
    # matrix's files have one, so refused; test_detached_filer_* below.
    ("VALIDEE", "transmettre_production"): ({A, C, SYS}, "EN_PRODUCTION"),
    ("EN_PRODUCTION", "terminer"): ({SYS}, "TERMINEE"),
    ("EN_PRODUCTION", "echec_production"): ({SYS}, "VALIDEE"),
}
STATES = {
    "BROUILLON": {"with_documents": True},
    "ABANDONNEE": {"abandoned": True},
    "EN_COURS": {"submitted": True},
    "EN_COURS_PRIS": {"taken": True},
    "EN_ATTENTE_USAGER": {"awaiting": True},
    "REJETEE": {"rejected": True},
    "VALIDEE": {"validated": True},
    "EN_PRODUCTION": {"in_production": True},
    "TERMINEE": {"done": True},
}
EVENTS = sorted(TRANSITIONS) + ["inventer"]


def test_table_covers_every_status_and_no_more():
    covered = {s for t in TRANSITIONS.values() for s in t.sources} | {
        t.target for t in TRANSITIONS.values()
    }
    assert covered == set(Status)
    assert {state.replace("_PRIS", "") for state in STATES} == set(Status)


@pytest.fixture
def actors():
    return {role: agent(role) for role in (A, C, R)}


def _actor(role, demarche, actors):
    if role == U:
        return demarche.owner
    if role == SYS:
        return None
    return actors[role]


def _snapshot(demarche):
    demarche = Demarche.objects.get(pk=demarche.pk)
    return (
        demarche.status,
        demarche.taken_at,
        demarche.decided_at,
        demarche.submitted_at,
        StatusChange.objects.filter(demarche=demarche).count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("state", list(STATES))
def test_every_status_event_role(state, actors, django_capture_on_commit_callbacks):
    for event, role in itertools.product(EVENTS, list(Role)):
        demarche = DemarcheFactory(**STATES[state])
        actor = _actor(role, demarche, actors)
        roles, target = EXPECTED.get((state, event), (set(), None))
        before = _snapshot(demarche)
        label = f"{state} --{event}/{role}-->"
        if role in roles:
            with django_capture_on_commit_callbacks(execute=True):
                change = apply_transition(
                    demarche=demarche, event=event, actor=actor, role=role, comment="motif"
                )
            demarche.refresh_from_db()
            assert demarche.status == target, label
            assert change.from_status == state.replace("_PRIS", ""), label
            assert change.to_status == target and change.event == event, label
            assert change.actor == actor and change.actor_role == role, label
            assert AuditEvent.objects.filter(
                event="procedures.demarche_transition", object_id=str(demarche.pk)
            ).exists(), label
        else:
            with pytest.raises(TransitionRefused), transaction.atomic():
                apply_transition(
                    demarche=demarche, event=event, actor=actor, role=role, comment="motif"
                )
            assert _snapshot(demarche) == before, label


def test_the_citizen_role_needs_the_owner():
    demarche = DemarcheFactory(submitted=True)
    stranger = UserFactory()
    with pytest.raises(TransitionRefused, match="Vous n’avez pas ce rôle sur cette démarche."):
        apply_transition(demarche=demarche, event="abandonner", actor=stranger, role=U)
    assert Demarche.objects.get(pk=demarche.pk).status == Status.EN_COURS


def test_agent_role_without_permission_is_refused():
    demarche = DemarcheFactory(submitted=True)
    not_agent = UserFactory(is_staff=True)
    with pytest.raises(TransitionRefused, match="Vous n’avez pas ce rôle"):
        apply_transition(demarche=demarche, event="valider", actor=not_agent, role=A)


def test_system_role_is_only_the_platform():
    demarche = DemarcheFactory(in_production=True)
    with pytest.raises(TransitionRefused, match="Seule la plateforme"):
        apply_transition(demarche=demarche, event="terminer", actor=demarche.owner, role=SYS)


def test_reject_needs_a_reason():
    demarche = DemarcheFactory(submitted=True)
    with pytest.raises(TransitionRefused, match="Le motif du rejet est obligatoire."):
        apply_transition(demarche=demarche, event="rejeter", actor=agent(), role=A, comment="  ")
    assert Demarche.objects.get(pk=demarche.pk).status == Status.EN_COURS


def test_abandon_refused_once_under_instruction():
    demarche = DemarcheFactory(submitted=True)
    apply_transition(demarche=demarche, event="prendre_en_charge", actor=agent(), role=A)
    with pytest.raises(TransitionRefused, match="elle ne peut plus être abandonnée"):
        apply_transition(demarche=demarche, event="abandonner", actor=demarche.owner, role=U)


def test_refusal_messages_name_the_status():
    demarche = DemarcheFactory(done=True)
    with pytest.raises(TransitionRefused, match="la démarche est au statut « Terminée »"):
        apply_transition(demarche=demarche, event="valider", actor=agent(), role=A)


def test_decision_timestamps_and_history_actor_protected():
    from django.db.models import ProtectedError

    demarche = DemarcheFactory(submitted=True)
    instructor = agent()
    apply_transition(demarche=demarche, event="valider", actor=instructor, role=A)
    demarche.refresh_from_db()
    assert demarche.decided_at and demarche.taken_at
    with pytest.raises(ProtectedError):
        instructor.delete()


def test_a_file_awaiting_a_filer_who_still_has_an_account_is_not_returned_to_the_service():
    demarche = DemarcheFactory(awaiting=True)
    with pytest.raises(TransitionRefused) as refused:
        apply_transition(demarche=demarche, event="teledeclarant_detache", actor=None, role=SYS)
    assert refused.value.message == (
        "Le télédéclarant de cette démarche a toujours son compte : c’est à lui de "
        "compléter la demande."
    )
    assert Demarche.objects.get(pk=demarche.pk).status == Status.EN_ATTENTE_USAGER


def test_detached_filer_file_awaiting_goes_back_to_the_service():
    demarche = DemarcheFactory(awaiting=True, owner=None)
    change = apply_transition(
        demarche=demarche, event="teledeclarant_detache", actor=None, role=SYS
    )
    assert (change.from_status, change.to_status) == (Status.EN_ATTENTE_USAGER, Status.EN_COURS)
    assert Demarche.objects.get(pk=demarche.pk).status == Status.EN_COURS
    # Only the platform returns it.
    other = DemarcheFactory(awaiting=True, owner=None)
    with pytest.raises(TransitionRefused) as refused:
        apply_transition(demarche=other, event="teledeclarant_detache", actor=agent(), role=A)
    assert refused.value.message == "Cette action n’est pas permise à votre rôle."
