"""Who reaches the back office: agents of the authority only, with a
second factor; citizens never; read-only agents cannot act."""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from titres.instruction import urls as instruction_urls
from titres.instruction.enums import AgentRole
from titres.procedures.enums import Status

from .conftest import totp_code, verified_client
from .factories import AgentMembershipFactory, DocumentFactory, PermisDemarcheFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = {"login", "logout", "otp_enrol", "otp_enrol_link", "otp_verify"}
FAKE_KWARGS = {
    "code": "543",
    "number": "X",
    "pk": uuid.UUID(int=1),  # fixed: test ids must match across xdist workers
    "page": 1,
    "kind": "photo",
    "name": "valider",
}


def _agent_urls():
    for pattern in instruction_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in PUBLIC:
            continue
        kwargs = {k: FAKE_KWARGS[k] for k in pattern.pattern.converters}
        yield pattern.name, reverse(f"instruction:{pattern.name}", kwargs=kwargs)


def test_every_agent_url_is_wrapped():
    for pattern in instruction_urls.urlpatterns:
        if pattern.name not in PUBLIC:
            assert getattr(pattern.callback, "agent_view", False), pattern.name


@pytest.mark.parametrize("name,url", list(_agent_urls()))
def test_a_citizen_never_reaches_agent_pages(name, url, authority):
    citizen = UserFactory()
    client = Client()
    client.force_login(citizen)
    response = client.get(url) if name not in {"bulk", "action"} else client.post(url)
    assert response.status_code == 403


@pytest.mark.parametrize("name,url", list(_agent_urls()))
def test_anonymous_is_sent_to_the_agents_login(name, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("instruction:login"))


def test_agent_without_device_is_sent_to_enrolment(authority):
    user = AgentMembershipFactory(authority=authority).user
    client = Client()
    client.force_login(user)
    response = client.get(reverse("instruction:home"))
    assert response.url == reverse("instruction:otp_enrol")


def test_agent_with_device_but_not_verified_is_sent_to_verification(agent):
    client = Client()
    client.force_login(agent)
    response = client.get(reverse("instruction:worklist", args=["543"]))
    assert response.url == reverse("instruction:otp_verify")


def test_login_then_enrolment_with_qr_code_then_home(authority):
    from titres.instruction.enrolment import issue_code

    user = AgentMembershipFactory(authority=authority).user
    user.set_password("Motdepasse-solide-2024")
    user.save()
    client = Client()
    response = client.post(
        reverse("instruction:login"),
        {"username": user.username, "password": "Motdepasse-solide-2024"},
    )
    assert response.url == reverse("instruction:otp_enrol")
    # The password alone shows no QR code (tests/instruction/test_enrolment.py).
    code = issue_code(user=user, actor=None)
    client.post(response.url, {"activation_code": code})
    page = client.get(response.url)
    assert b"data:image/svg+xml" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("instruction:otp_enrol"), {"token": "000000"})
    assert "Code incorrect ou expiré" in wrong.content.decode()
    # A wrong code throttles the device for a moment (django-otp).
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    response = client.post(reverse("instruction:otp_enrol"), {"token": totp_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("instruction:home")).url == reverse(
        "instruction:worklist", args=["543"]
    )


def test_verification_accepts_a_backup_code(agent):
    static = StaticDevice.objects.create(user=agent, name="secours", confirmed=True)
    StaticToken.objects.create(device=static, token="12345678")
    client = Client()
    client.force_login(agent)
    response = client.post(reverse("instruction:otp_verify"), {"token": "1234 5678"})
    assert response.status_code == 302
    assert client.get(reverse("instruction:worklist", args=["543"])).status_code == 200


def test_a_citizen_cannot_sign_in_on_the_agents_entrance(db):
    citizen = UserFactory()
    response = Client().post(
        reverse("instruction:login"),
        {"username": citizen.username, "password": "Motdepasse-solide-2024"},
    )
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_another_authoritys_agent_gets_404_on_file_documents_history(
    make_agent, other_authority, authority
):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    document = DocumentFactory(demarche=demarche)
    stranger = verified_client(make_agent(authority=other_authority))
    for url in [
        reverse("instruction:detail", args=[demarche.number]),
        reverse("instruction:history", args=[demarche.number]),
        reverse("instruction:document_page", args=[document.pk, 1]),
        reverse("instruction:ephoto", args=[demarche.number, "photo"]),
    ]:
        assert stranger.get(url).status_code == 404, url
    assert (
        stranger.post(reverse("instruction:action", args=[demarche.number, "valider"])).status_code
        == 404
    )
    assert stranger.get(reverse("instruction:worklist", args=["543"])).status_code == 404
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS


def test_drafts_are_invisible_to_agents(agent_client, authority):
    draft = PermisDemarcheFactory(authority=authority)
    assert agent_client.get(reverse("instruction:detail", args=[draft.number])).status_code == 404


def test_read_only_agent_cannot_act(reader, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    client = verified_client(reader)
    page = client.get(reverse("instruction:detail", args=[demarche.number]))
    assert "Vous consultez cette demande en lecture seule." in page.content.decode()
    response = client.post(
        reverse("instruction:action", args=[demarche.number, "valider"]), follow=True
    )
    assert (
        "Votre rôle (lecture seule) ne permet pas d’agir sur les demandes."
        in response.content.decode()
    )
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS


def test_agent_in_two_authorities_sees_both(make_agent, authority, other_authority):
    user = make_agent()
    AgentMembershipFactory(user=user, authority=other_authority, role=AgentRole.LECTURE_SEULE)
    client = verified_client(user)
    assert client.get(reverse("instruction:worklist", args=["999"])).status_code == 200
    mine = PermisDemarcheFactory(submitted=True, authority=other_authority)
    assert client.get(reverse("instruction:detail", args=[mine.number])).status_code == 200


def test_password_only_agent_reads_nothing_through_the_citizen_urls(agent, authority):
    """Signed in with the password, second factor not verified yet: neither
    the citizen URLs nor the engine's policies give anything."""
    from titres.procedures.models import Message
    from titres.procedures.selectors import demarches_visible_to

    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    document = DocumentFactory(demarche=demarche)
    message = Message.objects.create(
        demarche=demarche, author=demarche.owner, author_role="usager", body="Bonjour"
    )
    client = Client()
    client.force_login(agent)  # password only: no OTP device in the session
    assert client.get(reverse("procedures:document", args=[document.pk])).status_code == 404
    assert client.get(reverse("procedures:message", args=[message.pk])).status_code == 404
    # The back office sends them to the second factor.
    response = client.get(reverse("instruction:detail", args=[demarche.number]))
    assert response.status_code == 302 and response.url == reverse("instruction:otp_verify")
    assert not demarches_visible_to(agent).exists()


def test_verified_agent_reads_the_document_in_the_agent_viewer_only(agent, authority):
    from titres.core.models import AuditEvent

    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    document = DocumentFactory(demarche=demarche)
    client = verified_client(agent)
    # Citizen URLs serve the owner's objects only, verified or not.
    assert client.get(reverse("procedures:document", args=[document.pk])).status_code == 404
    page = client.get(
        reverse("instruction:detail", args=[demarche.number]) + f"?piece={document.pk}"
    )
    assert page.status_code == 200
    assert reverse("instruction:document_page", args=[document.pk, 1]) in page.content.decode()
    png = client.get(reverse("instruction:document_page", args=[document.pk, 1]))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert AuditEvent.objects.filter(
        event="procedures.document_viewed", object_id=str(document.pk), actor=agent
    ).exists()


def test_membership_policy_requires_the_second_factor(agent, authority):
    from titres.instruction.access import POLICY

    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    assert POLICY.agent_filter(agent) is None  # plain user object: not verified
    assert not POLICY.admits(agent)
    assert POLICY.agent_roles(agent, demarche) == set()
    agent.is_verified = lambda: False
    assert POLICY.agent_filter(agent) is None
    assert not POLICY.admits(agent)
    assert POLICY.agent_roles(agent, demarche) == set()
    agent.is_verified = lambda: True
    assert POLICY.agent_filter(agent) is not None
    assert POLICY.admits(agent)
    agent.is_active = False  # the list's own check (authority_demarches) refuses it too
    assert POLICY.agent_filter(agent) is None and not POLICY.admits(agent)
    agent.is_active = True
    assert POLICY.agent_roles(agent, demarche) == {AgentRole.AGENT_INSTRUCTEUR}
