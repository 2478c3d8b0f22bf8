"""A FranceConnect stand-in served through a requests transport adapter, so
that tests can hand the client forged or broken tokens."""

import json
import time
from urllib.parse import parse_qs

import requests
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, OctKey, RSAKey

ISSUER = "https://fc.test/api/v2"
CLIENT_ID = "client-fc-test"
CLIENT_SECRET = "secret-fc-test"


class FakeProvider:
    def __init__(self):
        self.key = ECKey.generate_key("P-256", parameters={"kid": "k1", "use": "sig"})
        self.rsa_key = RSAKey.generate_key(2048, parameters={"kid": "r1", "use": "sig"})
        self.published = [self.key, self.rsa_key]
        self.nonce = ""
        self.sub = "a" * 64 + "v1"
        self.acr = "eidas1"
        self.id_token_overrides = {}
        self.userinfo_overrides = {}
        self.identity = {
            "given_name": "Jean Pierre",
            "family_name": "DURAND",
            "birthdate": "1970-05-04",
            "gender": "male",
            "birthplace": "33063",
            "birthcountry": "99100",
            "email": "jean.durand@example.org",
        }
        self.id_token_signer = None  # (key, alg, kid) to forge signatures
        self.userinfo_signer = None
        self.userinfo_content_type = "application/jwt"
        self.token_error = None
        self.calls = []

    # --- what the endpoints return --------------------------------------
    def discovery(self):
        return {
            "issuer": ISSUER,
            "authorization_endpoint": f"{ISSUER}/authorize",
            "token_endpoint": f"{ISSUER}/token",
            "userinfo_endpoint": f"{ISSUER}/userinfo",
            "end_session_endpoint": f"{ISSUER}/session/end",
            "jwks_uri": f"{ISSUER}/jwks",
            "id_token_signing_alg_values_supported": ["ES256", "RS256"],
        }

    def jwks(self):
        return KeySet(self.published).as_dict(private=False)

    def sign(self, claims, signer=None):
        key, alg, kid = signer or (self.key, "ES256", "k1")
        header = {"alg": alg}
        if kid:
            header["kid"] = kid
        return jwt.encode(header, claims, key, algorithms=[alg])

    def id_token(self):
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": self.sub,
            "aud": CLIENT_ID,
            "exp": now + 60,
            "iat": now,
            "nonce": self.nonce,
            "acr": self.acr,
            **self.id_token_overrides,
        }
        claims = {k: v for k, v in claims.items() if v is not None}
        return self.sign(claims, self.id_token_signer)

    def userinfo(self):
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": self.sub,
            **self.identity,
            **self.userinfo_overrides,
        }
        if self.userinfo_content_type == "application/json":
            return json.dumps(claims)
        return self.sign(claims, self.userinfo_signer)

    # --- transport -------------------------------------------------------
    def respond(self, request):
        path = request.path_url.split("?")[0]
        self.calls.append(path)
        if path == "/api/v2/.well-known/openid-configuration":
            return 200, "application/json", json.dumps(self.discovery())
        if path == "/api/v2/jwks":
            return 200, "application/json", json.dumps(self.jwks())
        if path == "/api/v2/token":
            body = parse_qs(
                request.body if isinstance(request.body, str) else request.body.decode()
            )
            assert body["client_id"] == [CLIENT_ID]
            assert body["client_secret"] == [CLIENT_SECRET]
            if self.token_error:
                return 400, "application/json", json.dumps({"error": self.token_error})
            return (
                200,
                "application/json",
                json.dumps(
                    {
                        "access_token": "access-token",
                        "token_type": "Bearer",
                        "expires_in": 60,
                        "id_token": self.id_token(),
                    }
                ),
            )
        if path == "/api/v2/userinfo":
            assert request.headers["Authorization"] == "Bearer access-token"
            return 200, self.userinfo_content_type, self.userinfo()
        return 404, "text/plain", "not found"


class FakeAdapter(requests.adapters.BaseAdapter):
    def __init__(self, provider):
        super().__init__()
        self.provider = provider

    def send(self, request, **kwargs):
        status, content_type, body = self.provider.respond(request)
        response = requests.Response()
        response.status_code = status
        response.headers["Content-Type"] = content_type
        response._content = body.encode()
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


def other_keys():
    """Keys the provider never published (forged signatures)."""
    return {
        "ec": ECKey.generate_key("P-256"),
        "oct": OctKey.generate_key(256),
    }
