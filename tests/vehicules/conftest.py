import pytest


@pytest.fixture(scope="session", autouse=True)
def _communes_reference_data(django_db_setup, django_db_blocker):
    """The postal code ↔ commune check needs the communes table."""
    from titres.permis.communes import ensure_reference_data

    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.fixture
def buyer(client):
    """Pierre MERCIER, signed in through FranceConnect."""
    from datetime import date

    from tests.accounts.factories import UserFactory
    from tests.franceconnect.factories import FranceConnectIdentityFactory

    user = UserFactory(first_name="Pierre", last_name="Mercier", email="pierre.mercier@example.org")
    FranceConnectIdentityFactory(
        user=user,
        given_name="Pierre",
        family_name="MERCIER",
        birthdate=date(1990, 1, 15),
        gender="male",
    )
    client.force_login(user)
    return user
