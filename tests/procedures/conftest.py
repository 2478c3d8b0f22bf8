import pytest

from titres.procedures.registry import register_procedure, unregister_procedure

from . import toy


@pytest.fixture(autouse=True)
def toy_procedure():
    register_procedure(toy.definition(), replace=True)
    register_procedure(toy.fixed_definition(), replace=True)
    toy.SUBMITTED.clear()
    yield toy
    unregister_procedure(toy.CODE)
    unregister_procedure(toy.FIXED_CODE)


@pytest.fixture(autouse=True)
def _no_clamav(settings):
    settings.CLAMAV_URL = ""
