from urllib.parse import parse_qs, urlsplit

import pytest

from .factories import UserFactory
from .fakes import ISSUER

pytestmark = pytest.mark.django_db


def test_logout_ends_the_local_session_and_goes_to_the_provider(client, fc, provider):
    fc.sign_in()
    id_token = client.session["franceconnect_id_token"]
    response = client.post("/franceconnect/deconnexion/")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{ISSUER}/session/end"
    query = parse_qs(url.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == [
        "http://127.0.0.1:8000/franceconnect/deconnexion/fin/"
    ]
    state = query["state"][0]
    assert len(state) >= 22
    assert "_auth_user_id" not in client.session
    assert "franceconnect_id_token" not in client.session

    page = client.get("/franceconnect/deconnexion/fin/", {"state": state})
    assert page.status_code == 200
    assert "Vous êtes déconnecté" in page.content.decode()
    assert "session FranceConnect sont terminées" in page.content.decode()
    # The state serves once.
    assert client.get("/franceconnect/deconnexion/fin/", {"state": state}).status_code == 400


def test_post_logout_with_a_wrong_state(client, fc, provider):
    fc.sign_in()
    client.post("/franceconnect/deconnexion/")
    page = client.get("/franceconnect/deconnexion/fin/", {"state": "forged"})
    assert page.status_code == 400
    assert "n’a pas pu être vérifiée" in page.content.decode()


def test_logout_without_franceconnect_is_local_only(client):
    client.force_login(UserFactory())
    response = client.post("/franceconnect/deconnexion/")
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_logout_refuses_get(client, fc, provider):
    fc.sign_in()
    response = client.get("/franceconnect/deconnexion/")
    assert response.status_code == 405
    # Still signed in: a link or an image cannot log anyone out.
    assert "_auth_user_id" in client.session
    assert "franceconnect_id_token" in client.session


def test_portal_logout_hands_over_with_a_307(client, fc, provider):
    fc.sign_in()
    response = client.post("/compte/deconnexion/")
    assert response.status_code == 307
    assert response["Location"] == "/franceconnect/deconnexion/"
    assert "_auth_user_id" in client.session  # ended by the FranceConnect view
    followed = client.post(response["Location"])
    assert followed.status_code == 302
    assert followed["Location"].startswith(f"{ISSUER}/session/end?")
    assert "_auth_user_id" not in client.session


def test_logout_hand_over_keeps_the_csrf_check(client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(UserFactory())
    session = csrf_client.session
    session["franceconnect_id_token"] = "jeton"
    session.save()
    assert csrf_client.post("/franceconnect/deconnexion/").status_code == 403
    assert "_auth_user_id" in csrf_client.session
