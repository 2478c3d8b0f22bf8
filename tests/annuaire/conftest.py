import pytest

from titres.annuaire import announcements, maintenance


@pytest.fixture(autouse=True)
def _fresh_caches():
    """The per-process caches of the switch and the announcements never
    carry one test's rows into the next."""
    maintenance.forget_cached_state()
    announcements.forget_cached()
    yield
    maintenance.forget_cached_state()
    announcements.forget_cached()


@pytest.fixture
def operator():
    from tests.accounts.factories import UserFactory

    return UserFactory(operator=True, username="operatrice")
