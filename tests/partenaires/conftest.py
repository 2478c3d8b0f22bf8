import pytest

from titres.core import ratelimit
from titres.devidp.demo import load as load_devidp


@pytest.fixture(autouse=True)
def _fresh_limits():
    ratelimit.reset()
    yield
    ratelimit.reset()


@pytest.fixture
def provider(live_server, settings):
    """The local FranceConnect provider, served by the live server (the
    `…/france_connect` calls ask its userinfo endpoint over HTTP)."""
    settings.SITE_URL = live_server.url
    load_devidp()
    ratelimit.reset()
    return live_server
