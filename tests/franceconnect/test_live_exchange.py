"""The whole OIDC exchange over real HTTP: the portal's client fetches the
discovery document, the JWKS, the token and the signed userinfo from the
local identity provider served by the live server."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model

from titres.core.models import AuditEvent
from titres.devidp.demo import load as load_devidp
from titres.franceconnect.models import FranceConnectIdentity

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def portal(live_server, settings):
    settings.SITE_URL = live_server.url
    load_devidp()
    browser = Browser(live_server.url)
    yield browser
    browser.http.close()  # no keep-alive connection left to the live server


class Browser:
    def __init__(self, base):
        self.base = base
        self.http = requests.Session()

    def csrf(self):
        return self.http.cookies.get("csrftoken", "")

    def get(self, path, **kwargs):
        url = path if path.startswith("http") else self.base + path
        return self.http.get(url, timeout=10, **kwargs)

    def post(self, path, data=None, **kwargs):
        url = path if path.startswith("http") else self.base + path
        if not self.csrf():
            self.get(url)
        data = {"csrfmiddlewaretoken": self.csrf(), **(data or {})}
        return self.http.post(url, data=data, timeout=10, **kwargs)

    def start_sign_in(self):
        """Click the button; return the provider's picker page."""
        self.get("/franceconnect/connexion/")
        page = self.post("/franceconnect/connexion/")
        assert urlsplit(page.url).path == "/devidp/o/authorize/"
        return page

    def pick(self, picker, citizen, **kwargs):
        return self.post(picker.url, {"citizen": citizen}, **kwargs)


def test_full_exchange_creates_the_account_and_signs_in(portal):
    picker = portal.start_sign_in()
    assert picker.status_code == 200
    assert "Angela Claire Louise DUBOIS" in picker.text
    query = parse_qs(urlsplit(picker.url).query)
    assert query["scope"] == ["openid identite_pivot email"]
    assert query["acr_values"] == ["eidas1"]
    assert len(query["state"][0]) >= 22 and len(query["nonce"][0]) >= 22

    landing = portal.pick(picker, "angela-dubois")
    assert landing.status_code == 200
    assert urlsplit(landing.url).path == "/tableau-de-bord/"
    assert "Angela Claire Louise" in landing.text

    identity = FranceConnectIdentity.objects.get()
    assert identity.given_name == "Angela Claire Louise"
    assert identity.family_name == "DUBOIS"
    assert identity.birthplace == "75107" and identity.birthcountry == "99100"
    assert identity.eidas_level == "eidas1"
    assert identity.origin == "fournisseur_local"
    assert re.fullmatch(r"[0-9a-f]{64}v1", identity.sub)
    user = identity.user
    assert user.email == "angela.dubois@example.org"
    assert user.profile == "particulier"
    assert not user.has_usable_password()
    assert user.email_verified_at is not None
    assert AuditEvent.objects.filter(event="franceconnect.account_created").count() == 1

    # Signing in again finds the same account through the pairwise sub.
    portal.post("/franceconnect/deconnexion/")
    again = portal.pick(portal.start_sign_in(), "angela-dubois")
    assert urlsplit(again.url).path == "/tableau-de-bord/"
    assert get_user_model().objects.filter(email="angela.dubois@example.org").count() == 1


def test_logout_ends_both_sessions(portal):
    portal.pick(portal.start_sign_in(), "fatima-benali")
    # The portal's button: 307 to the FranceConnect logout (POST and CSRF
    # token repeated), then the provider, then back.
    page = portal.post("/compte/deconnexion/")
    assert [r.status_code for r in page.history][:2] == [307, 302]
    assert urlsplit(page.url).path == "/franceconnect/deconnexion/fin/"
    assert page.status_code == 200
    assert "Vous êtes déconnecté" in page.text
    assert "session FranceConnect sont terminées" in page.text
    assert urlsplit(portal.get("/tableau-de-bord/").url).path == "/compte/connexion/"


def test_replayed_code_is_refused(portal):
    picker = portal.start_sign_in()
    redirect = portal.pick(picker, "pierre-mercier", allow_redirects=False)
    callback_url = redirect.headers["Location"]
    code = parse_qs(urlsplit(callback_url).query)["code"][0]
    assert portal.get(callback_url).status_code == 200
    portal.post("/franceconnect/deconnexion/")

    # A new attempt (fresh state) carrying the already used code.
    new_state = parse_qs(urlsplit(portal.start_sign_in().url).query)["state"][0]
    page = portal.get("/franceconnect/callback/", params={"state": new_state, "code": code})
    assert page.status_code == 400
    assert "déjà été utilisé" in page.text
    assert AuditEvent.objects.filter(
        event="franceconnect.login_refused", data__reason="code_replayed"
    ).exists()


def test_replayed_code_is_refused_by_the_provider_too(portal):
    from django.core.cache import caches

    from titres.franceconnect.client import _cache_key

    redirect = portal.pick(portal.start_sign_in(), "pierre-mercier", allow_redirects=False)
    callback_url = redirect.headers["Location"]
    code = parse_qs(urlsplit(callback_url).query)["code"][0]
    portal.get(callback_url)
    portal.post("/franceconnect/deconnexion/")
    new_state = parse_qs(urlsplit(portal.start_sign_in().url).query)["state"][0]
    # Forget which codes the client saw: the provider alone must refuse.
    assert caches["soft"].delete(_cache_key("code", code))
    page = portal.get("/franceconnect/callback/", params={"state": new_state, "code": code})
    assert page.status_code == 400, _debug_events()
    assert AuditEvent.objects.filter(
        event="franceconnect.login_refused",
        data__reason="code_replayed",
        data__detail__icontains="invalid_grant",
    ).exists(), _debug_events()


def test_acr_lower_than_requested_is_refused(portal, settings):
    settings.FRANCECONNECT_ACR_VALUES = "eidas2"
    page = portal.pick(portal.start_sign_in(), "pierre-mercier")
    assert page.status_code == 400
    assert "niveau de sécurité" in page.text
    assert not FranceConnectIdentity.objects.exists()
    assert "_auth_user_id" not in portal.get("/franceconnect/connexion/").text


def test_cancel_at_the_provider_is_a_provider_error(portal):
    picker = portal.start_sign_in()
    page = portal.post(picker.url, {"cancel": "1"})
    assert page.status_code == 400
    assert "annulée" in page.text
    assert AuditEvent.objects.filter(
        event="franceconnect.login_refused", data__reason="provider_error"
    ).exists()


def _debug_events():
    return list(
        AuditEvent.objects.filter(event="franceconnect.login_refused").values_list(
            "data", flat=True
        )
    )
