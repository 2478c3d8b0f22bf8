import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Every test writes uploads to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def mailoutbox_bodies(mailoutbox):
    return lambda: [m.body for m in mailoutbox]


@pytest.fixture
def citizen(client):
    """A signed-in account of the public (`client` is logged in as it)."""
    from tests.accounts.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters of one test never leak into the next."""
    from titres.core import ratelimit

    ratelimit.reset()
    yield
    ratelimit.reset()


@pytest.fixture(autouse=True)
def _portal_notices_read():
    """The maintenance switch and the announcements are read once per
    interval per process (titres/annuaire): each test starts with them read
    (off, none), so pinned query counts do not depend on when the interval
    ran out. tests/annuaire clears them to test the reading itself."""
    from titres.annuaire import announcements, maintenance
    from titres.infos import latest

    maintenance.prime()
    announcements.prime()
    latest.prime()
    yield


@pytest.fixture(autouse=True)
def _fresh_site_config():
    """The per-process copy of django-dsfr's configuration never outlives a
    test's database."""
    from titres.core.context_processors import forget_site_config

    forget_site_config()
    yield
    forget_site_config()


@pytest.fixture(autouse=True)
def _fresh_agent_tools():
    """Which agent tools an account sees is kept a minute per process: a
    test's agents never inherit another test's (SQLite reuses their ids)."""
    from titres.instruction.tools import forget_visibility

    forget_visibility()
    yield
    forget_visibility()


@pytest.fixture(autouse=True)
def _fresh_fixed_parts():
    """The header's and footer's parts kept per process ({% fixedpart %})
    never outlive a test (some override URLs or settings)."""
    from titres.core.templatetags.titres_fragments import forget_parts

    forget_parts()
    yield
    forget_parts()


@pytest.fixture(autouse=True)
def _local_bank_notifies_in_process(settings):
    """The local bank calls the portal in-process: in "auto" it would first
    POST to SITE_URL (127.0.0.1:8000), where a developer's `make run` may be
    listening. tests/paiements/test_notifications.py sets the HTTP modes
    itself; the browser journeys keep "auto" against their live server."""
    settings.PAYMENT_LOCAL_NOTIFY = "direct"
