from urllib.parse import parse_qs, urlsplit

import pytest

from titres.franceconnect.conf import get_conf
from titres.franceconnect.enums import IdentityOrigin
from titres.franceconnect.selectors import franceconnect_identity_for, has_verified_identity
from titres.franceconnect.services import origin_for

from .factories import FranceConnectIdentityFactory, UserFactory
from .fakes import ISSUER

pytestmark = pytest.mark.django_db


def test_logout_ends_the_local_session_and_goes_to_the_provider(client, fc, provider):
    fc.sign_in()
    id_token = client.session["franceconnect_id_token"]
    response = client.get("/franceconnect/deconnexion/")
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
    client.get("/franceconnect/deconnexion/")
    page = client.get("/franceconnect/deconnexion/fin/", {"state": "forged"})
    assert page.status_code == 400
    assert "n’a pas pu être vérifiée" in page.content.decode()


def test_logout_without_franceconnect_is_local_only(client):
    client.force_login(UserFactory())
    response = client.get("/franceconnect/deconnexion/")
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_the_button_markup(client):
    html = client.get("/franceconnect/connexion/").content.decode()
    assert '<div class="fr-connect-group">' in html
    assert 'action="/franceconnect/connexion/"' in html
    assert (
        '<button class="fr-connect"><span class="fr-connect__login">S’identifier avec</span> '
        '<span class="fr-connect__brand">FranceConnect</span></button>'
    ) in html
    assert 'href="https://franceconnect.gouv.fr/" target="_blank" rel="noopener"' in html
    assert 'title="Qu’est-ce que FranceConnect ? - nouvelle fenêtre"' in html


def test_disabled_client_hides_the_pages(client, settings):
    settings.FRANCECONNECT_ENABLED = False
    assert client.get("/franceconnect/connexion/").status_code == 404


def test_configuration_follows_site_url_at_request_time(settings, monkeypatch):
    settings.SITE_URL = "http://localhost:41234"
    conf = get_conf()
    assert conf.issuer == "http://localhost:41234/devidp/o"
    assert conf.discovery_url == "http://localhost:41234/devidp/o/.well-known/openid-configuration"
    assert conf.redirect_uri == "http://localhost:41234/franceconnect/callback/"
    assert conf.post_logout_redirect_uri == "http://localhost:41234/franceconnect/deconnexion/fin/"
    assert conf.scopes == "openid identite_pivot email"
    assert conf.acr_values == "eidas1"
    assert conf.signing_algorithms == ("ES256", "RS256")


def test_configuration_from_the_environment(monkeypatch):
    monkeypatch.setenv(
        "FRANCECONNECT_ISSUER", "https://fcp-low.integ01.dev-franceconnect.fr/api/v2"
    )
    monkeypatch.setenv("FRANCECONNECT_CLIENT_ID", "abc")
    monkeypatch.setenv("FRANCECONNECT_ACR_VALUES", "eidas2")
    monkeypatch.setenv("FRANCECONNECT_SIGNING_ALGORITHMS", "ES256")
    conf = get_conf()
    assert conf.discovery_url == (
        "https://fcp-low.integ01.dev-franceconnect.fr/api/v2/.well-known/openid-configuration"
    )
    assert conf.client_id == "abc"
    assert conf.minimum_acr == "eidas2"
    assert conf.signing_algorithms == ("ES256",)


def test_client_defaults_match_the_demo_client():
    from titres.devidp import citizens
    from titres.franceconnect import conf

    assert conf.DEFAULT_CLIENT_ID == citizens.DEMO_CLIENT_ID
    assert conf.DEFAULT_CLIENT_SECRET == citizens.DEMO_CLIENT_SECRET
    assert conf.CALLBACK_PATH == citizens.CALLBACK_PATH
    assert conf.POST_LOGOUT_PATH == citizens.POST_LOGOUT_PATH


@pytest.mark.parametrize(
    ("issuer", "origin"),
    [
        ("https://oidc.franceconnect.gouv.fr/api/v2", IdentityOrigin.FRANCECONNECT),
        (
            "https://fcp-low.integ01.dev-franceconnect.fr/api/v2",
            IdentityOrigin.FRANCECONNECT_INTEGRATION,
        ),
        ("http://127.0.0.1:8000/devidp/o", IdentityOrigin.LOCAL_PROVIDER),
        ("https://franceconnect.gouv.fr.evil.test/", IdentityOrigin.LOCAL_PROVIDER),
    ],
)
def test_origin_of_an_identity(issuer, origin):
    assert origin_for(issuer) == origin


def test_selectors():
    plain = UserFactory()
    assert franceconnect_identity_for(plain) is None
    assert not has_verified_identity(plain)
    local = FranceConnectIdentityFactory()
    assert franceconnect_identity_for(local.user) == local
    assert has_verified_identity(local.user)
    assert not has_verified_identity(local.user, minimum_level="eidas2")
    assert not has_verified_identity(local.user, origins=(IdentityOrigin.FRANCECONNECT,))
    real = FranceConnectIdentityFactory(from_franceconnect=True, substantial=True)
    assert has_verified_identity(
        real.user, minimum_level="eidas2", origins=(IdentityOrigin.FRANCECONNECT,)
    )


def test_personal_data_hooks():
    from titres.franceconnect.personal_data import erase, export

    identity = FranceConnectIdentityFactory()
    data = export(identity.user)
    assert data["prenoms"] == "Camille"
    erase(identity.user)
    assert franceconnect_identity_for(identity.user) is None
