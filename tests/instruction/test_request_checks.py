"""What every agent request checks, read anew on each request with queries
compiled once per process (issue 17): the second-factor device
(`otp.OTPMiddleware`) and the agent's memberships
(`access.request_memberships`). Nothing is kept between requests: a device
deleted or unconfirmed, a membership removed or changed, an account
deactivated take effect on the next request."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import middleware as otp_middleware
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from titres.accounts.models import User
from titres.instruction.access import memberships_of, request_memberships
from titres.instruction.enums import AgentRole
from titres.instruction.models import AgentMembership
from titres.instruction.otp import device_from_persistent_id

from .conftest import verified_client
from .factories import AgentMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def worklist(code="543"):
    return reverse("instruction:worklist", args=[code])


@pytest.fixture
def client_of(agent):
    client = verified_client(agent)
    assert client.get(worklist()).status_code == 200
    return client


def test_the_portal_uses_this_otp_middleware():
    assert "titres.instruction.otp.OTPMiddleware" in settings.MIDDLEWARE
    assert "django_otp.middleware.OTPMiddleware" not in settings.MIDDLEWARE
    # The hook it overrides: gone in a new django_otp, the device would be
    # read the ORM's way again (still checked, only slower).
    assert callable(otp_middleware.OTPMiddleware._device_from_persistent_id)


def test_the_device_read_is_the_orms(agent):
    device = TOTPDevice.objects.get(user=agent)
    got = device_from_persistent_id(device.persistent_id)
    assert type(got) is TOTPDevice
    fields = [f.attname for f in TOTPDevice._meta.concrete_fields]
    assert [getattr(got, f) for f in fields] == [getattr(device, f) for f in fields]
    static = StaticDevice.objects.create(user=agent, name="Codes", confirmed=True)
    assert device_from_persistent_id(static.persistent_id) == static


@pytest.mark.parametrize(
    "persistent_id",
    [
        "otp_totp.totpdevice/999999",
        "otp_totp.totpdevice/abc",
        "otp_totp.totpdevice",
        "inconnu.modele/1",
        "accounts.user/1",  # a model, not a device
        "sans-point/1",
    ],
)
def test_an_id_naming_no_device_gives_none(persistent_id):
    assert device_from_persistent_id(persistent_id) is None


def test_a_device_deleted_ends_the_verification_on_the_next_request(agent, client_of):
    TOTPDevice.objects.filter(user=agent).delete()
    response = client_of.get(worklist())
    assert response.status_code == 302
    assert response.url == reverse("instruction:otp_enrol")
    assert DEVICE_ID_SESSION_KEY not in client_of.session


def test_a_device_unconfirmed_ends_the_verification_on_the_next_request(agent, client_of):
    TOTPDevice.objects.filter(user=agent).update(confirmed=False)
    response = client_of.get(worklist())
    assert response.status_code == 302
    assert response.url == reverse("instruction:otp_enrol")
    assert DEVICE_ID_SESSION_KEY not in client_of.session


def test_another_agents_device_does_not_verify(agent, make_agent):
    other = make_agent(username="autre.agent")
    client = Client()
    client.force_login(agent)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=other).persistent_id
    session.save()
    response = client.get(worklist())
    assert response.url == reverse("instruction:otp_verify")
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.mark.parametrize("persistent_id", ["accounts.user/1", "otp_totp.totpdevice/x"])
def test_a_session_naming_no_device_is_not_verified(agent, persistent_id):
    client = Client()
    client.force_login(agent)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = persistent_id
    session.save()
    response = client.get(worklist())
    assert response.url == reverse("instruction:otp_verify")
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_membership_removed_is_refused_on_the_next_request(agent, client_of):
    AgentMembership.objects.filter(user=agent).delete()
    response = client_of.get(worklist())
    assert response.status_code == 403
    assert (
        "Cet espace est réservé aux agents des services instructeurs." in response.content.decode()
    )


def test_a_membership_moved_elsewhere_gives_404_here(agent, client_of, other_authority):
    AgentMembership.objects.filter(user=agent).update(authority=other_authority)
    assert client_of.get(worklist()).status_code == 404
    assert client_of.get(worklist(other_authority.code)).status_code == 200


def test_a_role_changed_is_read_on_the_next_request(agent, client_of):
    assert client_of.get(worklist()).context["can_act"] is True
    AgentMembership.objects.filter(user=agent).update(role=AgentRole.LECTURE_SEULE)
    response = client_of.get(worklist())
    assert response.context["role"] == AgentRole.LECTURE_SEULE
    assert response.context["can_act"] is False


def test_an_agent_deactivated_is_signed_out_on_the_next_request(agent, client_of):
    User.objects.filter(pk=agent.pk).update(is_active=False)
    response = client_of.get(worklist())
    assert response.status_code == 302
    assert response.url.startswith(reverse("instruction:login"))


def test_the_memberships_are_the_orms(rf, make_agent, authority, other_authority):
    agent = make_agent(username="deux.autorites")
    AgentMembershipFactory(user=agent, authority=other_authority, role=AgentRole.CHEF_DE_SERVICE)
    AgentMembershipFactory(authority=authority)  # someone else's
    request = rf.get("/")
    request.user = agent
    got = request_memberships(request)
    expected = list(memberships_of(agent))
    assert [m.pk for m in got] == [m.pk for m in expected]
    assert [m.authority.code for m in expected] == ["543", "999"]
    for mine, orm in zip(got, expected, strict=True):
        fields = [f.attname for f in AgentMembership._meta.concrete_fields]
        assert [getattr(mine, f) for f in fields] == [getattr(orm, f) for f in fields]
        assert mine.authority == orm.authority
        assert mine.authority.departements == orm.authority.departements
        assert mine._state.adding is False


def test_the_memberships_cost_one_query_and_carry_their_authority(
    rf, agent, django_assert_num_queries
):
    request = rf.get("/")
    request.user = agent
    with django_assert_num_queries(1):
        memberships = request_memberships(request)
        assert [m.authority.code for m in memberships] == ["543"]
        assert request_memberships(request) is memberships


def test_an_anonymous_request_has_no_memberships(rf, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert request_memberships(request) == []


def test_a_citizen_has_no_memberships(rf):
    request = rf.get("/")
    request.user = UserFactory()
    assert request_memberships(request) == []
