"""The local identity provider: discovery, picker, token, signed userinfo,
end-session, and its refusal to run outside development."""

import stat
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from joserfc import jwt
from joserfc.jwk import KeySet

from titres.devidp import checks, keys
from titres.devidp.citizens import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from titres.devidp.demo import load
from titres.devidp.models import DemoCitizen

pytestmark = pytest.mark.django_db

CALLBACK = "http://127.0.0.1:8000/franceconnect/callback/"
ISSUER = "http://testserver/devidp/o"


def authorize_url(**overrides):
    params = {
        "response_type": "code",
        "client_id": DEMO_CLIENT_ID,
        "redirect_uri": CALLBACK,
        "scope": "openid identite_pivot email",
        "state": "s" * 32,
        "nonce": "n" * 32,
        "acr_values": "eidas1",
        **overrides,
    }
    return "/devidp/o/authorize/?" + urlencode(params)


def pick(client, citizen="angela-dubois", **overrides):
    url = authorize_url(**overrides)
    response = client.post(url, {"citizen": citizen})
    assert response.status_code == 302, response.content.decode()[:500]
    return parse_qs(urlsplit(response["Location"]).query)


def exchange(client, code, redirect_uri=CALLBACK):
    return client.post(
        "/devidp/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": DEMO_CLIENT_ID,
            "client_secret": DEMO_CLIENT_SECRET,
        },
    )


def claims_of(token, client):
    key_set = KeySet.import_key_set(client.get("/devidp/o/.well-known/jwks.json").json())
    return jwt.decode(token, key_set, algorithms=["RS256"]).claims


def test_discovery_document(client):
    data = client.get("/devidp/o/.well-known/openid-configuration").json()
    assert data["issuer"] == ISSUER
    assert data["authorization_endpoint"] == f"{ISSUER}/authorize/"
    assert data["token_endpoint"] == f"{ISSUER}/token/"
    assert data["userinfo_endpoint"] == f"{ISSUER}/userinfo/"
    assert data["end_session_endpoint"] == f"{ISSUER}/session/end/"
    assert data["jwks_uri"] == f"{ISSUER}/.well-known/jwks.json"
    assert data["acr_values_supported"] == ["eidas1"]
    assert data["userinfo_signing_alg_values_supported"] == ["RS256"]
    assert "identite_pivot" in data["scopes_supported"]


def test_jwks_publishes_the_signing_key(client):
    (key,) = client.get("/devidp/o/.well-known/jwks.json").json()["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["kid"]
    assert "d" not in key


def test_picker_is_public_and_lists_the_demo_citizens(client):
    page = client.get(authorize_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Angela Claire Louise DUBOIS" in html  # several given names
    assert "Fatima Zahra BENALI" in html and "Maroc" in html  # born abroad
    assert "Marie MARTIN (LEFEBVRE)" in html  # usage name
    assert DemoCitizen.objects.count() == 4


def test_picker_requires_a_choice(client):
    response = client.post(authorize_url(), {})
    assert response.status_code == 400
    assert "Choisissez une identité." in response.content.decode()


def test_unknown_client_gets_an_error_page(client):
    response = client.get(authorize_url(client_id="inconnu"))
    assert response.status_code == 400
    assert "Demande refusée" in response.content.decode()


def test_unregistered_redirect_uri_is_refused(client):
    response = client.get(authorize_url(redirect_uri="https://evil.test/franceconnect/callback/"))
    assert response.status_code == 400


def test_any_loopback_port_is_accepted(client):
    query = pick(client, redirect_uri="http://localhost:51234/franceconnect/callback/")
    assert "code" in query


def test_cancel_returns_access_denied(client):
    response = client.post(authorize_url(), {"cancel": "1"})
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["error"] == ["access_denied"]
    assert query["state"] == ["s" * 32]


def test_the_portal_session_is_not_touched(client):
    pick(client)
    assert "_auth_user_id" not in client.session


def test_token_and_signed_userinfo(client):
    query = pick(client, citizen="fatima-benali")
    assert query["state"] == ["s" * 32]
    token = exchange(client, query["code"][0]).json()
    id_claims = claims_of(token["id_token"], client)
    assert id_claims["iss"] == ISSUER
    assert id_claims["aud"] == DEMO_CLIENT_ID
    assert id_claims["nonce"] == "n" * 32
    assert id_claims["acr"] == "eidas1"
    assert "given_name" not in id_claims  # the identity comes with userinfo

    response = client.get(
        "/devidp/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {token['access_token']}"
    )
    assert response["Content-Type"] == "application/jwt"
    info = claims_of(response.content.decode(), client)
    assert info["sub"] == id_claims["sub"]
    assert info["iss"] == ISSUER and info["aud"] == DEMO_CLIENT_ID
    assert info["given_name"] == "Fatima Zahra"
    assert info["birthplace"] == "" and info["birthcountry"] == "99350"
    assert info["gender"] == "female" and info["birthdate"] == "1985-03-02"
    assert info["email"] == "fatima.benali@example.org"


def test_scopes_limit_the_claims(client):
    query = pick(client, scope="openid given_name")
    token = exchange(client, query["code"][0]).json()
    response = client.get(
        "/devidp/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {token['access_token']}"
    )
    info = claims_of(response.content.decode(), client)
    assert info["given_name"] == "Angela Claire Louise"
    assert "email" not in info and "birthdate" not in info


def test_sub_is_pairwise(client):
    from titres.devidp.models import DemoCitizen

    load()
    citizen = DemoCitizen.objects.get(slug="angela-dubois")
    assert citizen.pairwise_sub("a") != citizen.pairwise_sub("b")
    assert citizen.pairwise_sub("a") == citizen.pairwise_sub("a")


def test_code_is_single_use(client):
    code = pick(client)["code"][0]
    assert exchange(client, code).status_code == 200
    response = exchange(client, code)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_wrong_client_secret(client):
    code = pick(client)["code"][0]
    response = client.post(
        "/devidp/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "client_id": DEMO_CLIENT_ID,
            "client_secret": "faux",
        },
    )
    assert response.status_code == 401


def test_end_session_redirects_with_the_state(client):
    token = exchange(client, pick(client)["code"][0]).json()
    response = client.get(
        "/devidp/o/session/end/",
        {
            "id_token_hint": token["id_token"],
            "state": "etat-de-deconnexion",
            "post_logout_redirect_uri": "http://127.0.0.1:8000/franceconnect/deconnexion/fin/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == (
        "http://127.0.0.1:8000/franceconnect/deconnexion/fin/?state=etat-de-deconnexion"
    )


def test_end_session_refuses_an_unregistered_uri(client):
    token = exchange(client, pick(client)["code"][0]).json()
    response = client.get(
        "/devidp/o/session/end/",
        {"id_token_hint": token["id_token"], "post_logout_redirect_uri": "https://evil.test/"},
    )
    assert response.status_code == 400


def test_demo_loader_is_idempotent():
    first = load()
    second = load()
    assert len(first) == len(second) == 4
    assert DemoCitizen.objects.count() == 4
    from oauth2_provider.models import Application

    assert Application.objects.filter(client_id=DEMO_CLIENT_ID).count() == 1


def test_demo_loader_does_nothing_when_disabled(settings):
    settings.DEVIDP_ENABLED = False
    assert load() == []


def test_shadow_accounts_cannot_sign_in(client):
    load()
    for citizen in DemoCitizen.objects.select_related("user"):
        assert not citizen.user.is_active
        assert not citizen.user.has_usable_password()
        assert citizen.user.email.endswith("@devidp.invalid")


# --- Start-up refusal -------------------------------------------------------------


def test_refused_at_start_up_when_debug_is_off(settings):
    settings.DEVIDP_ENABLED = True
    settings.DEBUG = False
    settings.DEVIDP_ALLOW_WITHOUT_DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="DEVIDP_ENABLED=0"):
        apps.get_app_config("devidp").ready()
    (error,) = checks.devidp_only_in_development()
    assert error.id == "devidp.E001" and error.level >= 40


def test_allowed_without_debug_when_explicitly_asked(settings):
    settings.DEVIDP_ENABLED = True
    settings.DEBUG = False
    settings.DEVIDP_ALLOW_WITHOUT_DEBUG = True
    apps.get_app_config("devidp").ready()
    assert checks.devidp_only_in_development() == []


def test_disabled_provider_is_never_refused(settings):
    settings.DEVIDP_ENABLED = False
    settings.DEBUG = False
    apps.get_app_config("devidp").ready()
    assert checks.devidp_only_in_development() == []


def test_key_is_generated_once_with_private_permissions(tmp_path, monkeypatch):
    monkeypatch.delenv("DEVIDP_PRIVATE_KEY", raising=False)
    pem = keys.private_key_pem(tmp_path)
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    path = tmp_path / keys.KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.private_key_pem(tmp_path) == pem


def test_key_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DEVIDP_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----\\nabc\\n-----END")
    assert keys.private_key_pem(tmp_path) == "-----BEGIN PRIVATE KEY-----\nabc\n-----END"
    assert not (tmp_path / keys.KEY_FILE_NAME).exists()
