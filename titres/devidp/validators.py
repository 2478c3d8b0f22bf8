import json
import time

from django.http import HttpRequest
from django.urls import reverse
from jwcrypto import jwt
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import _PhonyHttpRequest, oauth2_settings

from .models import DemoCitizen
from .provider import ACR, PIVOT_CLAIMS

USERINFO_LIFETIME_SECONDS = 60


def issuer_for(request) -> str:
    """The issuer, derived from the request host so that any port works.

    Accepts a Django request or an oauthlib request (whose headers are the
    WSGI environ copied by django-oauth-toolkit)."""
    if oauth2_settings.OIDC_ISS_ENDPOINT:
        return oauth2_settings.OIDC_ISS_ENDPOINT
    if isinstance(request, HttpRequest):
        django_request = request
    else:
        django_request = _PhonyHttpRequest()
        django_request.META = request.headers
        if request.headers.get("X_DJANGO_OAUTH_TOOLKIT_SECURE", False):
            django_request._scheme = "https"
    discovery = reverse("devidp:discovery")
    suffix = "/.well-known/openid-configuration"
    return django_request.build_absolute_uri(discovery.removesuffix(suffix))


def allowed_claims(scopes) -> set[str]:
    claims = set()
    scopes = set(scopes or ())
    for claim in PIVOT_CLAIMS:
        if "identite_pivot" in scopes or claim in scopes:
            claims.add(claim)
    if "email" in scopes:
        claims.add("email")
    return claims


class DevIdpValidator(OAuth2Validator):
    """FranceConnect-shaped claims: pairwise sub and acr in the ID token,
    the pivot identity only in the signed userinfo."""

    def get_oidc_issuer_endpoint(self, request):
        return issuer_for(request)

    def _citizen(self, request) -> DemoCitizen:
        return DemoCitizen.objects.get(user=request.user)

    def get_oidc_claims(self, token, token_handler, request):
        return {"sub": self._citizen(request).pairwise_sub(request.client.client_id)}

    def get_discovery_claims(self, request):
        return ["sub", "acr", *PIVOT_CLAIMS, "email"]

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        claims["acr"] = ACR
        claims["amr"] = ["pwd"]
        return claims, expiration_time

    def get_userinfo_claims(self, request):
        citizen = self._citizen(request)
        wanted = allowed_claims(request.scopes)
        now = int(time.time())
        claims = {k: v for k, v in citizen.pivot_claims().items() if k in wanted}
        claims.update(
            {
                "sub": citizen.pairwise_sub(request.client.client_id),
                "iss": issuer_for(request),
                "aud": request.client.client_id,
                "iat": now,
                "exp": now + USERINFO_LIFETIME_SECONDS,
            }
        )
        # A string makes oauthlib answer with Content-Type: application/jwt.
        key = request.client.jwk_key
        token = jwt.JWT(
            header=json.dumps({"alg": "RS256", "kid": key.thumbprint(), "typ": "JWT"}),
            claims=json.dumps(claims),
        )
        token.make_signed_token(key)
        return token.serialize()
