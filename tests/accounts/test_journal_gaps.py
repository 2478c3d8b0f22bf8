"""Security review, item 7: events that left no journal entry."""

import pytest
from django.urls import reverse

from titres.core.models import AuditEvent

from .conftest import totp_code
from .test_operators_security import TOKEN_WRONG, admin_login, operator, page_text  # noqa: F401

pytestmark = pytest.mark.django_db


def test_operator_login_at_the_admin_is_journaled(client, operator):  # noqa: F811
    device = operator.totpdevice_set.get()
    assert (
        admin_login(client, "operateur", device=device, token=totp_code(device)).status_code == 302
    )
    event = AuditEvent.objects.get(event="accounts.admin_login")
    assert event.actor_id == operator.pk
    assert event.ip_address == "192.0.2.1"


def test_wrong_admin_otp_code_is_journaled(client, operator):  # noqa: F811
    device = operator.totpdevice_set.get()
    response = admin_login(client, "operateur", device=device, token="000000")
    assert TOKEN_WRONG in page_text(response)
    event = AuditEvent.objects.get(event="accounts.admin_otp_refused")
    assert event.object_id == str(operator.pk)
    assert not AuditEvent.objects.filter(event="accounts.admin_login").exists()


def test_agent_logout_is_journaled():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.instruction.conftest import verified_client
    from tests.instruction.factories import AgentMembershipFactory
    from tests.procedures.factories import AuthorityFactory

    agent = AgentMembershipFactory(authority=AuthorityFactory(code="543")).user
    TOTPDevice.objects.create(user=agent, name="Application", confirmed=True)
    client = verified_client(agent)
    assert client.post(reverse("instruction:logout")).status_code == 302
    event = AuditEvent.objects.get(event="instruction.agent_logout")
    assert event.actor_id == agent.pk
