"""Configuration of the FranceConnect client, read at request time.

Every value comes from an environment variable (django-environ), or from a
Django setting of the same name when one is defined (tests, settings.py).
Defaults point at the local identity provider (titres.devidp) and are
derived from settings.SITE_URL when a request is made, not at import time,
so that a server started on another port (the tests' live server) works.
See docs/franceconnect.md."""

from dataclasses import dataclass

import environ
from django.conf import settings

from titres.core.notifications import site_url

# Must match titres.devidp.citizens (not imported: the client does not depend
# on the local provider, which is absent in production).
DEFAULT_CLIENT_ID = "titres-devidp-demo"
DEFAULT_CLIENT_SECRET = "titres-devidp-demo-secret-not-for-production"  # noqa: S105
DEFAULT_SCOPES = "openid identite_pivot email"
DEFAULT_ACR_VALUES = "eidas1"
CALLBACK_PATH = "/franceconnect/callback/"
POST_LOGOUT_PATH = "/franceconnect/deconnexion/fin/"
LOCAL_ISSUER_PATH = "/devidp/o"
# Ordered eIDAS levels: a higher rank satisfies a lower request.
EIDAS_RANK = {"eidas1": 1, "eidas2": 2, "eidas3": 3}


@dataclass(frozen=True)
class FranceConnectConf:
    enabled: bool
    issuer: str
    discovery_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    post_logout_redirect_uri: str
    scopes: str
    acr_values: str
    prompt: str
    token_auth_method: str
    signing_algorithms: tuple[str, ...]
    http_timeout: float
    metadata_cache_seconds: int
    clock_skew_seconds: int

    @property
    def minimum_acr(self) -> str:
        requested = [v for v in self.acr_values.split() if v in EIDAS_RANK]
        return min(requested, key=EIDAS_RANK.__getitem__) if requested else ""


def _value(env, name: str, default, cast=str):
    if hasattr(settings, name):
        return getattr(settings, name)
    if cast is bool:
        return env.bool(name, default=default)
    if cast is int:
        return env.int(name, default=default)
    if cast is float:
        return env.float(name, default=default)
    return env.str(name, default=default)


def get_conf() -> FranceConnectConf:
    env = environ.Env()
    issuer = _value(env, "FRANCECONNECT_ISSUER", site_url(LOCAL_ISSUER_PATH)).rstrip("/")
    algorithms = _value(env, "FRANCECONNECT_SIGNING_ALGORITHMS", "ES256,RS256")
    if isinstance(algorithms, str):
        algorithms = [a.strip() for a in algorithms.split(",") if a.strip()]
    return FranceConnectConf(
        enabled=_value(env, "FRANCECONNECT_ENABLED", True, bool),
        issuer=issuer,
        discovery_url=_value(
            env, "FRANCECONNECT_DISCOVERY_URL", f"{issuer}/.well-known/openid-configuration"
        ),
        client_id=_value(env, "FRANCECONNECT_CLIENT_ID", DEFAULT_CLIENT_ID),
        client_secret=_value(env, "FRANCECONNECT_CLIENT_SECRET", DEFAULT_CLIENT_SECRET),
        redirect_uri=_value(env, "FRANCECONNECT_REDIRECT_URI", site_url(CALLBACK_PATH)),
        post_logout_redirect_uri=_value(
            env, "FRANCECONNECT_POST_LOGOUT_REDIRECT_URI", site_url(POST_LOGOUT_PATH)
        ),
        scopes=_value(env, "FRANCECONNECT_SCOPES", DEFAULT_SCOPES),
        acr_values=_value(env, "FRANCECONNECT_ACR_VALUES", DEFAULT_ACR_VALUES),
        # FranceConnect v2 expects both values: ask again, show the consent.
        prompt=_value(env, "FRANCECONNECT_PROMPT", "login consent"),
        token_auth_method=_value(env, "FRANCECONNECT_TOKEN_AUTH_METHOD", "client_secret_post"),
        signing_algorithms=tuple(algorithms),
        http_timeout=_value(env, "FRANCECONNECT_HTTP_TIMEOUT", 10.0, float),
        metadata_cache_seconds=_value(env, "FRANCECONNECT_METADATA_CACHE_SECONDS", 3600, int),
        clock_skew_seconds=_value(env, "FRANCECONNECT_CLOCK_SKEW_SECONDS", 60, int),
    )
