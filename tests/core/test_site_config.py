"""django-dsfr's site configuration (mourning, notice banner) read once a
minute per process, not twice per page, and forgotten when saved."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from dsfr.models import DsfrConfig

from titres.core import context_processors

pytestmark = pytest.mark.django_db


def config_queries(client, path="/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum("dsfr_dsfrconfig" in q["sql"] for q in queries.captured_queries)


def test_read_once_then_kept(client):
    assert config_queries(client) == 2  # none in this language, then none at all
    assert config_queries(client) == 0


def test_a_saved_notice_shows_on_the_next_page(client):
    client.get("/")
    config = DsfrConfig.objects.create(language="fr", notice_title="Maintenance ce soir")
    assert "Maintenance ce soir" in client.get("/").text
    config.delete()
    assert "Maintenance ce soir" not in client.get("/").text


def test_other_languages_fall_back_to_the_first_configuration(client, settings):
    DsfrConfig.objects.create(language="fr", notice_title="Avis en français")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Avis en français" in client.get("/").text


def test_read_again_after_a_minute(client, monkeypatch):
    client.get("/")
    now = context_processors.time.monotonic()
    monkeypatch.setattr(
        context_processors.time,
        "monotonic",
        lambda: now + context_processors.SITE_CONFIG_SECONDS + 1,
    )
    assert config_queries(client) == 2
