"""The work list's tab counts (`stats.counts`, one grouped query) are the
same numbers as a filtered count per tab, for every kind of agent."""

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory

from titres.instruction import stats
from titres.instruction.access import authority_demarches
from titres.instruction.enums import TAB_STATUSES, AgentRole
from titres.instruction.models import Assignment
from titres.procedures.enums import Status

from .factories import PermisDemarcheFactory

pytestmark = pytest.mark.django_db

TRAITS = ["submitted", "awaiting", "rejected", "validated", "in_production", "done"]


def expected(queryset, agent) -> dict:
    """One COUNT per tab, as the list's own filters select its files."""
    counts = {
        tab.value: (queryset.filter(status__in=statuses) if statuses else queryset).count()
        for tab, statuses in TAB_STATUSES.items()
    }
    counts["mine"] = queryset.filter(
        assignment__agent=agent, status__in=stats.OPEN_STATUSES
    ).count()
    return counts


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    user.is_verified = lambda: True  # what django_otp's middleware sets after the device
    return request


@pytest.fixture
def files(authority, other_authority, agent, chef):
    """Files in every status, some assigned to the agent (open and closed),
    some to the chef, a draft, and files of another authority."""
    made = []
    for index, trait in enumerate(TRAITS * 2):
        demarche = PermisDemarcheFactory(authority=authority, **{trait: True})
        made.append(demarche)
        if index % 3 == 0:
            Assignment.objects.create(demarche=demarche, agent=agent, assigned_by=chef)
        elif index % 3 == 1:
            Assignment.objects.create(demarche=demarche, agent=chef, assigned_by=chef)
    PermisDemarcheFactory(authority=authority, status=Status.BROUILLON)
    for trait in TRAITS:
        other = PermisDemarcheFactory(authority=other_authority, **{trait: True})
        Assignment.objects.create(demarche=other, agent=agent, assigned_by=chef)
    return made


@pytest.mark.parametrize("role", list(AgentRole))
@pytest.mark.parametrize("staff", [False, True])
def test_grouped_counts_equal_a_count_per_tab(files, authority, make_agent, agent, role, staff):
    user = agent if role == AgentRole.AGENT_INSTRUCTEUR else make_agent(role=role)
    if staff:
        user.is_staff = True
        user.save()
        user.user_permissions.add(Permission.objects.get(codename="instruire_demarche"))
    for demarche in files[:2]:  # this user's own assignments, one open and one not
        Assignment.objects.update_or_create(
            demarche=demarche, defaults={"agent": user, "assigned_by": user}
        )
    queryset = authority_demarches(request_of(user), authority)
    counts = stats.counts(queryset, agent=user)
    assert counts == expected(queryset, user)
    assert counts["toutes"] == len(files)
    assert counts["mine"] > 0


def test_no_file_no_count(authority, agent):
    queryset = authority_demarches(request_of(agent), authority)
    assert stats.counts(queryset, agent=agent) == {
        "a_traiter": 0,
        "en_attente": 0,
        "traitees": 0,
        "toutes": 0,
        "mine": 0,
    }


def test_without_agent_no_mine(files, authority, agent):
    queryset = authority_demarches(request_of(agent), authority)
    counts = stats.counts(queryset)
    assert "mine" not in counts
    assert counts["toutes"] == len(files)


def test_a_non_member_counts_nothing(files, other_authority, chef):
    queryset = authority_demarches(request_of(chef), other_authority)
    assert set(stats.counts(queryset, agent=chef).values()) == {0}
