import pytest


@pytest.fixture
def operator():
    from tests.accounts.factories import UserFactory

    return UserFactory(operator=True, username="operatrice")


@pytest.fixture
def operator_client(client, operator):
    from tests.accounts.conftest import verified_login

    verified_login(client, operator)
    return client


@pytest.fixture(autouse=True)
def _urls_loaded():
    """Load the URLconf (and the partner API's pydantic schemas) before a
    test freezes time: pydantic cannot build a schema for freezegun's
    fake datetime class."""
    from django.urls import reverse

    reverse("contact:home")


@pytest.fixture
def clamd(settings):
    """The engine's antivirus pointed at a local clamd that finds EICAR."""
    from tests.procedures.fake_clamd import FakeClamd

    server = FakeClamd()
    settings.CLAMAV_URL = server.url
    settings.CLAMAV_TIMEOUT = "5"
    yield server
    server.close()
