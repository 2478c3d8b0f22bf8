from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from .fakes import CLIENT_ID, CLIENT_SECRET, ISSUER, FakeAdapter, FakeProvider


@pytest.fixture
def provider(settings, monkeypatch):
    """FranceConnect replaced by FakeProvider for every HTTP call."""
    fake = FakeProvider()
    settings.FRANCECONNECT_ISSUER = ISSUER
    settings.FRANCECONNECT_CLIENT_ID = CLIENT_ID
    settings.FRANCECONNECT_CLIENT_SECRET = CLIENT_SECRET
    adapter = FakeAdapter(fake)
    original = requests.Session.get_adapter

    def get_adapter(self, url):
        if url.startswith("https://fc.test/"):
            return adapter
        return original(self, url)

    monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)
    return fake


@pytest.fixture
def fc(client, provider):
    """Drive the sign-in with the Django test client."""

    class Driver:
        def start(self, **data):
            response = client.post("/franceconnect/connexion/", data)
            assert response.status_code == 302, response
            query = parse_qs(urlsplit(response["Location"]).query)
            provider.nonce = query["nonce"][0]
            return query

        def callback(self, query=None, code="code-1", **params):
            if query is not None and "state" not in params:
                params["state"] = query["state"][0]
            if code is not None and "error" not in params:
                params["code"] = code
            return client.get("/franceconnect/callback/", params)

        def sign_in(self, **data):
            return self.callback(self.start(**data))

    return Driver()
