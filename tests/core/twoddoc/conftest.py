import pytest

from titres.core.twoddoc import keys


@pytest.fixture(autouse=True)
def _fresh_keys(settings, tmp_path):
    """Each test signs with its own development key (in tmp) and forgets
    the loaded keys before and after, so settings overrides apply."""
    settings.VAR_DIR = tmp_path / "var"
    keys.reset()
    yield
    keys.reset()
