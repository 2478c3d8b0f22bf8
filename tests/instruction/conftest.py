import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from titres.instruction.enums import AgentRole

from .factories import AgentMembershipFactory, AuthorityFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_clamav(settings):
    settings.CLAMAV_URL = ""
    # Argon2 at every factory user makes the suite slow; hashing is not tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def authority(db):
    return AuthorityFactory(code="543", name="Préfecture de Meurthe-et-Moselle")


@pytest.fixture
def other_authority(db):
    return AuthorityFactory(code="999", name="Préfecture d’ailleurs", departements=["99"])


def totp_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def make_agent(db, authority):
    """make_agent(role=..., authority=...) → an agent with a confirmed TOTP device."""

    def make(role=AgentRole.AGENT_INSTRUCTEUR, authority=authority, username=None, **kwargs):
        extra = {"username": username} if username else {}
        membership = AgentMembershipFactory(
            authority=authority, role=role, user=UserFactory(**extra, **kwargs)
        )
        user = membership.user
        TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
        return user

    return make


def verified_client(user) -> Client:
    """Signed in and verified with the second factor (what django_otp.login
    does: the device's persistent id in the session)."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def agent(make_agent):
    return make_agent(first_name="Alice", last_name="Instructrice")


@pytest.fixture
def chef(make_agent):
    return make_agent(role=AgentRole.CHEF_DE_SERVICE, first_name="Bernard", last_name="Chef")


@pytest.fixture
def reader(make_agent):
    return make_agent(role=AgentRole.LECTURE_SEULE)


@pytest.fixture
def agent_client(agent):
    return verified_client(agent)


@pytest.fixture
def chef_client(chef):
    return verified_client(chef)
