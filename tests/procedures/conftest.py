import pytest

from titres.procedures.registry import register_procedure, unregister_procedure

from . import toy


@pytest.fixture(autouse=True)
def toy_procedure():
    register_procedure(toy.definition(), replace=True)
    toy.SUBMITTED.clear()
    yield toy
    unregister_procedure(toy.CODE)


@pytest.fixture(autouse=True)
def _no_clamav(settings):
    settings.CLAMAV_URL = ""


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is deliberately slow; these tests create hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
