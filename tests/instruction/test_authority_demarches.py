"""`access.authority_demarches` (the work list's shorter SQL, issue 17)
gives exactly the files `agent_demarches(user).filter(authority=...)`
gives, for every kind of visitor: a verified member, a member whose second
factor is not verified, an inactive member, a member of another
authority, a staff account holding the global permissions."""

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory

from titres.instruction.access import agent_demarches, authority_demarches
from titres.procedures.enums import Status

from .factories import AgentMembershipFactory, PermisDemarcheFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(user, *, verified=True):
    request = RequestFactory().get("/")
    # What OTPMiddleware sets on request.user.
    user.is_verified = lambda: verified
    request.user = user
    return request


@pytest.fixture
def files(authority, other_authority):
    return {
        "mine": [
            PermisDemarcheFactory(authority=authority, status=status)
            for status in (Status.EN_COURS, Status.VALIDEE, Status.TERMINEE)
        ],
        "draft": PermisDemarcheFactory(authority=authority, status=Status.BROUILLON),
        "elsewhere": PermisDemarcheFactory(authority=other_authority, status=Status.EN_COURS),
    }


def both(request, authority):
    expected = set(agent_demarches(request.user).filter(authority=authority))
    return set(authority_demarches(request, authority)), expected


def test_a_verified_member_gets_the_submitted_files_of_the_authority(authority, files):
    user = AgentMembershipFactory(authority=authority).user
    got, expected = both(_request(user), authority)
    assert got == expected == set(files["mine"])


def test_an_unverified_member_gets_nothing(authority, files):
    user = AgentMembershipFactory(authority=authority).user
    got, expected = both(_request(user, verified=False), authority)
    assert got == expected == set()


def test_an_inactive_member_gets_nothing(authority, files):
    user = AgentMembershipFactory(authority=authority, user=UserFactory(is_active=False)).user
    got, expected = both(_request(user), authority)
    assert got == expected == set()


def test_a_member_of_another_authority_gets_nothing_here(authority, other_authority, files):
    user = AgentMembershipFactory(authority=other_authority).user
    got, expected = both(_request(user), authority)
    assert got == expected == set()
    got, expected = both(_request(user), other_authority)
    assert got == expected == {files["elsewhere"]}


def test_staff_permissions_add_nothing_outside_the_memberships(authority, other_authority, files):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="instruire_demarche"))
    AgentMembershipFactory(authority=authority, user=user)
    got, expected = both(_request(user), authority)
    assert got == expected == set(files["mine"])
    got, expected = both(_request(user), other_authority)
    assert got == expected == set()
