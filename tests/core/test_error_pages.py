"""Finding 4 of issue 16 (pages): with PostgreSQL down, people got
Django's bare "Server Error (500)". A DSFR page tells them what happened:
503 with Retry-After for an outage, 500 for a bug."""

import pytest
from django.test import RequestFactory

from titres.core.errors import server_error

pytestmark = [pytest.mark.urls("tests.core.error_urls"), pytest.mark.django_db]


@pytest.fixture
def anonymous(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("url", ["/boom/db", "/boom/redis"])
def test_an_outage_gets_the_dsfr_503_page(anonymous, url):
    response = anonymous.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Service momentanément indisponible" in page
    assert 'class="fr-header"' in page and '<html lang="fr"' in page
    assert "Ce que vous aviez déjà enregistré est conservé" in page


def test_a_bug_gets_the_dsfr_500_page(anonymous):
    response = anonymous.get("/boom/bug")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Erreur inattendue" in page and 'class="fr-footer"' in page
    assert "Server Error (500)" not in page


def test_the_error_pages_need_neither_database_nor_cache(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        try:
            raise ZeroDivisionError
        except ZeroDivisionError:
            response = server_error(request)
    assert response.status_code == 500
    assert "Se connecter" not in response.content.decode()


def test_in_english_after_the_switch(anonymous):
    anonymous.cookies["django_language"] = "en"
    page = anonymous.get("/boom/db").content.decode()
    assert '<html lang="en"' in page
    assert "Service temporarily unavailable" in page
