import pytest

from titres.core import views


@pytest.fixture(autouse=True)
def _fresh_readiness():
    views._READYZ_CACHE.clear()


def test_healthz_answers_without_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_database_cache_and_storage(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "storage": "ok"}


@pytest.mark.django_db
def test_readyz_reports_a_broken_storage(client, settings, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker)},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("erreur")


@pytest.mark.django_db
def test_french_whatever_the_browser_asks(client):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert "Vos démarches de titres sécurisés en ligne" in response.content.decode()
    assert response["Content-Language"] == "fr"


@pytest.mark.django_db
def test_english_after_the_switch(client):
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert "Your secure-document procedures online" in response.content.decode()


@pytest.mark.django_db
def test_unknown_language_cookie_falls_back_to_french(client):
    client.cookies["django_language"] = "de"
    assert "Vos démarches" in client.get("/").content.decode()
