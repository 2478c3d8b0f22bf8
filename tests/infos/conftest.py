import pytest

from tests.accounts.factories import UserFactory


@pytest.fixture
def operator(db):
    return UserFactory(operator=True)
