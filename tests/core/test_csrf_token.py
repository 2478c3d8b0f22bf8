"""The pages' `csrf_token` (`titres.core.csrf`): Django's token, masked with
one random draw; Django's CSRF check accepts it and refuses anything else
as before."""

import re
import secrets

import pytest
from django.middleware import csrf as django_csrf
from django.test import Client, RequestFactory

from titres.core.csrf import _DRAWS, _mask, masked_token

LOGIN = "/compte/connexion/"
CHARS = django_csrf.CSRF_ALLOWED_CHARS


def digits_of(draw: int) -> list[int]:
    digits = []
    for _ in range(django_csrf.CSRF_SECRET_LENGTH):
        draw, digit = divmod(draw, len(CHARS))
        digits.append(digit)
    return digits


@pytest.mark.parametrize("draw", [0, 1, _DRAWS - 1, 61 * 62**31, 123_456_789_012_345])
def test_the_token_is_djangos_for_the_same_mask(draw, monkeypatch):
    secret = django_csrf._get_new_csrf_string()
    mask = "".join(CHARS[digit] for digit in digits_of(draw))
    monkeypatch.setattr(django_csrf, "_get_new_csrf_string", lambda: mask)
    assert _mask(secret, draw) == django_csrf._mask_cipher_secret(secret)
    assert django_csrf._unmask_cipher_token(_mask(secret, draw)) == secret


def test_each_token_has_a_new_uniform_mask():
    request = RequestFactory().get("/")
    secret = django_csrf._get_new_csrf_string()
    request.META["CSRF_COOKIE"] = secret
    tokens = [masked_token(request) for _ in range(300)]
    assert len(set(tokens)) == 300
    assert all(len(token) == django_csrf.CSRF_TOKEN_LENGTH for token in tokens)
    assert {django_csrf._unmask_cipher_token(token) for token in tokens} == {secret}
    # Every allowed character shows in the masks (9,600 draws: a mask
    # drawn from part of the alphabet would miss some).
    assert set("".join(token[:32] for token in tokens)) == set(CHARS)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_without_a_secret_djangos_get_token_adds_one():
    request = RequestFactory().get("/")
    token = masked_token(request)
    assert request.META["CSRF_COOKIE"] == django_csrf._unmask_cipher_token(token)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def form_token(response) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert found, "no CSRF field on the page"
    return found.group(1)


def test_the_portal_uses_this_processor_last(settings):
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    assert processors[-1] == "titres.core.csrf.csrf"


@pytest.mark.django_db
def test_a_form_posted_with_the_pages_token_passes_djangos_check():
    client = Client(enforce_csrf_checks=True)
    page = client.get(LOGIN)
    token = form_token(page)
    cookie = client.cookies["csrftoken"].value
    assert django_csrf._unmask_cipher_token(token) == cookie
    assert form_token(client.get(LOGIN)) != token  # a new mask on each page
    response = client.post(
        LOGIN, {"username": "personne", "password": "x", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200  # the form's own answer, not 403
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()


@pytest.mark.django_db
def test_a_token_of_another_secret_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    forged = _mask(django_csrf._get_new_csrf_string(), secrets.randbelow(_DRAWS))
    response = client.post(
        LOGIN, {"username": "personne", "password": "x", "csrfmiddlewaretoken": forged}
    )
    assert response.status_code == 403
