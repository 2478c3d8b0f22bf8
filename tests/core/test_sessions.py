"""Sessions end after SESSION_COOKIE_AGE without activity, renewed at most
once per refresh interval instead of written on every page."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import UserFactory
from titres.core.sessions import RENEWED_KEY, refresh_interval

pytestmark = pytest.mark.django_db


def session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if re.match(r"(UPDATE|INSERT).*django_session", q["sql"])]


def signed_in(client):
    client.force_login(UserFactory())
    return client.session.session_key


def renewed_at(key: str) -> int | None:
    return SessionStore(session_key=key).get(RENEWED_KEY)


def age_back(key: str, seconds: int) -> None:
    session = SessionStore(session_key=key)
    session[RENEWED_KEY] = int(time.time()) - seconds
    session.save()


def test_the_first_page_renews_then_pages_within_the_interval_write_nothing(client):
    key = signed_in(client)
    client.get(reverse("core:dashboard"))
    first = renewed_at(key)
    assert first is not None and first >= int(time.time()) - 1
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(reverse("core:dashboard")).status_code == 200
    assert session_writes(queries.captured_queries) == []
    assert renewed_at(key) == first


def test_a_page_after_the_interval_renews_the_session_and_its_expiry(client):
    key = signed_in(client)
    client.get(reverse("core:dashboard"))
    age_back(key, refresh_interval())
    before = Session.objects.get(pk=key).expire_date
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("core:dashboard"))
    assert len(session_writes(queries.captured_queries)) == 1
    assert renewed_at(key) >= int(time.time()) - 1
    assert Session.objects.get(pk=key).expire_date > before


def test_the_interval_is_at_most_a_tenth_of_the_session_age(settings):
    settings.SESSION_REFRESH_SECONDS = 60
    settings.SESSION_COOKIE_AGE = 30 * 60
    assert refresh_interval() == 60
    settings.SESSION_COOKIE_AGE = 20  # the e2e journey's short session
    assert refresh_interval() == 2


def test_the_expiry_warning_is_told_the_time_actually_left(client):
    key = signed_in(client)
    client.get(reverse("core:dashboard"))
    age_back(key, 40)  # renewed 40 s ago, inside the interval: not renewed now
    page = client.get(reverse("core:dashboard")).text
    left = int(re.search(r'data-session-age="(\d+)"', page).group(1))
    assert settings.SESSION_COOKIE_AGE - 42 <= left <= settings.SESSION_COOKIE_AGE - 40


def test_keepalive_renews_whatever_the_interval(client):
    key = signed_in(client)
    client.get(reverse("core:dashboard"))
    age_back(key, 5)
    response = client.post(reverse("core:session_keepalive"))
    assert response.json() == {"expires_in": settings.SESSION_COOKIE_AGE}
    assert renewed_at(key) >= int(time.time()) - 1


def test_an_ended_session_cookie_gives_no_new_session(client):
    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32  # no such session
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert session_writes(queries.captured_queries) == []
    assert not Session.objects.exists()


def test_anonymous_visitors_get_no_session(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()
