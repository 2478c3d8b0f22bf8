"""Fixtures shared by the unit suite (tests/) and the browser journeys (e2e/)."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """A fresh cache namespace per test: counters (lockouts, quotas) never
    leak between tests, even when xdist workers share one Redis."""
    import uuid

    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        for alias, config in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def _fast_argon2(settings):
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _french_by_default():
    """A request in English leaves English active in the thread; each test
    starts in French, the portal's language."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()
