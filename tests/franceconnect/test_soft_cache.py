"""Issue 16 (faults, item 5): the FranceConnect metadata cache and code
replay check were on the `default` cache, which raises when Redis is down
(503 page for every FranceConnect sign-in). They are on the `soft` alias:
a Redis outage reads as a miss (metadata fetched again) and the replay
check is left to the provider, which refuses a used code itself."""

import pytest

from titres.core.caches import cache_settings
from titres.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    # Nothing listens on port 1: every Redis call fails at once.
    settings.CACHES = cache_settings(
        "redis://127.0.0.1:1/0", prefix="panne", connect_timeout=0.2, socket_timeout=0.2
    )


def test_sign_in_works_while_redis_is_down(client, fc, provider, redis_down):
    response = fc.sign_in()
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.session.get("_auth_user_id")


def test_replayed_code_still_refused_when_redis_is_up(client, fc, provider):
    assert fc.sign_in().status_code == 302
    client.logout()
    response = fc.callback(fc.start(), code="code-1")
    assert response.status_code == 400
    assert AuditEvent.objects.filter(
        event="franceconnect.login_refused", data__reason="code_replayed"
    ).exists()
