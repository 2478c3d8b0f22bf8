"""The FranceConnect v2 relying party: authorization request, code exchange,
verification of the signed ID token and of the signed userinfo.

Authlib's OAuth2Session builds the authorization URL and exchanges the code;
joserfc (Authlib's JOSE library) verifies signatures against the provider's
JWKS. Discovery document and JWKS are cached in the `soft` cache alias (a
Redis outage reads as a miss: they are fetched again), as is the code replay
check (which the provider also enforces: it is skipped, not failed, while
Redis is down)."""

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.core.cache import caches
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from .conf import EIDAS_RANK, FranceConnectConf, get_conf

ATTEMPTS_SESSION_KEY = "franceconnect_attempts"
ATTEMPT_LIFETIME_SECONDS = 10 * 60
MAX_PENDING_ATTEMPTS = 5
USED_CODE_SECONDS = 10 * 60


class Reason:
    """Why a sign-in was refused (journal `data.reason`, tests)."""

    PROVIDER_ERROR = "provider_error"
    STATE_MISMATCH = "state_mismatch"
    MISSING_CODE = "missing_code"
    CODE_REPLAYED = "code_replayed"
    TOKEN_ERROR = "token_error"  # noqa: S105 - a reason code
    PROVIDER_UNREACHABLE = "provider_unreachable"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    WRONG_ISSUER = "wrong_issuer"
    WRONG_AUDIENCE = "wrong_audience"
    NONCE_MISMATCH = "nonce_mismatch"
    ACR_TOO_LOW = "acr_too_low"
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - a reason code
    USERINFO_INVALID = "userinfo_invalid"
    MISSING_EMAIL = "missing_email"


# Error codes an OpenID Connect provider may return to the redirect URI
# (RFC 6749 §4.1.2.1, OpenID Connect Core §3.1.2.6).
PROVIDER_ERROR_CODES = frozenset(
    {
        "invalid_request",
        "unauthorized_client",
        "access_denied",
        "unsupported_response_type",
        "invalid_scope",
        "server_error",
        "temporarily_unavailable",
        "interaction_required",
        "login_required",
        "account_selection_required",
        "consent_required",
        "invalid_request_uri",
        "invalid_request_object",
        "request_not_supported",
        "request_uri_not_supported",
        "registration_not_supported",
    }
)


def provider_error_code(params) -> str:
    """The provider's `error`, if it is a known code; "other" otherwise."""
    code = str(params.get("error", "")).strip()
    return code if code in PROVIDER_ERROR_CODES else "other"


MESSAGES = {
    Reason.PROVIDER_ERROR: _(
        "FranceConnect n’a pas pu vous identifier ou la connexion a été annulée."
    ),
    Reason.STATE_MISMATCH: _(
        "Cette demande de connexion n’est pas reconnue ou a expiré (elle ne peut servir "
        "qu’une fois). Pour votre sécurité, recommencez la connexion avec FranceConnect."
    ),
    Reason.MISSING_CODE: _("La réponse de FranceConnect est incomplète."),
    Reason.CODE_REPLAYED: _(
        "Ce code d’autorisation a déjà été utilisé ou a expiré. "
        "Recommencez la connexion avec FranceConnect."
    ),
    Reason.TOKEN_ERROR: _("FranceConnect a refusé de délivrer le jeton d’identité."),
    Reason.PROVIDER_UNREACHABLE: _(
        "FranceConnect est momentanément injoignable. Réessayez dans quelques minutes."
    ),
    Reason.BAD_SIGNATURE: _(
        "La signature des informations transmises par FranceConnect n’est pas valide."
    ),
    Reason.EXPIRED: _("Le jeton d’identité transmis par FranceConnect a expiré."),
    Reason.WRONG_ISSUER: _("Le jeton d’identité ne provient pas de FranceConnect."),
    Reason.WRONG_AUDIENCE: _("Le jeton d’identité n’est pas destiné à ce service."),
    Reason.NONCE_MISMATCH: _("Le jeton d’identité ne correspond pas à votre demande de connexion."),
    Reason.ACR_TOO_LOW: _(
        "Le niveau de sécurité de votre identification est insuffisant pour ce service."
    ),
    Reason.INVALID_TOKEN: _("Le jeton d’identité transmis par FranceConnect est invalide."),
    Reason.USERINFO_INVALID: _(
        "Les informations d’identité transmises par FranceConnect sont invalides."
    ),
    Reason.MISSING_EMAIL: _(
        "FranceConnect n’a pas transmis d’adresse électronique : elle est nécessaire "
        "pour créer votre compte."
    ),
}


class FranceConnectError(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    @property
    def message(self) -> str:
        return str(MESSAGES.get(self.reason, MESSAGES[Reason.INVALID_TOKEN]))


@dataclass
class Authentication:
    """A verified FranceConnect authentication."""

    sub: str
    acr: str
    issuer: str
    id_token: str
    id_token_claims: dict
    userinfo: dict
    next_url: str = ""
    link_user_id: int | None = None


# --- Provider metadata and keys ---------------------------------------------


def _get_json(url: str, conf: FranceConnectConf) -> dict:
    try:
        response = requests.get(url, timeout=conf.http_timeout)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise FranceConnectError(Reason.PROVIDER_UNREACHABLE, f"{url}: {exc}")
    if not isinstance(data, dict):
        raise FranceConnectError(Reason.PROVIDER_UNREACHABLE, f"{url}: not a JSON object")
    return data


def _cache_key(kind: str, url: str) -> str:
    return f"franceconnect:{kind}:{hashlib.sha256(url.encode()).hexdigest()}"


def _cache():
    return caches["soft"]


def provider_metadata(conf: FranceConnectConf | None = None, *, refresh: bool = False) -> dict:
    conf = conf or get_conf()
    key = _cache_key("discovery", conf.discovery_url)
    metadata = None if refresh else _cache().get(key)
    if metadata is None:
        metadata = _get_json(conf.discovery_url, conf)
        if metadata.get("issuer", "").rstrip("/") != conf.issuer:
            # A discovery document for another issuer would let it sign for us.
            raise FranceConnectError(
                Reason.WRONG_ISSUER, f"discovery issuer {metadata.get('issuer')!r}"
            )
        _cache().set(key, metadata, conf.metadata_cache_seconds)
    return metadata


def provider_keys(conf: FranceConnectConf, metadata: dict, *, refresh: bool = False) -> dict:
    url = metadata.get("jwks_uri", "")
    key = _cache_key("jwks", url)
    jwks = None if refresh else _cache().get(key)
    if jwks is None:
        jwks = _get_json(url, conf)
        _cache().set(key, jwks, conf.metadata_cache_seconds)
    return jwks


# --- Authorization request ----------------------------------------------------


def _session(conf: FranceConnectConf, **kwargs) -> OAuth2Session:
    return OAuth2Session(
        client_id=conf.client_id,
        client_secret=conf.client_secret,
        scope=conf.scopes,
        redirect_uri=conf.redirect_uri,
        token_endpoint_auth_method=conf.token_auth_method,
        **kwargs,
    )


def begin(request, *, next_url: str = "", link_user_id: int | None = None) -> str:
    """Store a fresh state and nonce for this attempt; return the URL of the
    provider's authorization endpoint."""
    conf = get_conf()
    metadata = provider_metadata(conf)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    now = time.time()
    attempts = {
        s: a
        for s, a in request.session.get(ATTEMPTS_SESSION_KEY, {}).items()
        if now - a["created"] < ATTEMPT_LIFETIME_SECONDS
    }
    # Several tabs may start a sign-in; the oldest attempts are dropped.
    for old in sorted(attempts, key=lambda s: attempts[s]["created"])[: -MAX_PENDING_ATTEMPTS + 1]:
        attempts.pop(old)
    attempts[state] = {
        "nonce": nonce,
        "created": now,
        "next": next_url,
        "link_user_id": link_user_id,
        "acr_values": conf.acr_values,
    }
    request.session[ATTEMPTS_SESSION_KEY] = attempts
    url, _state = _session(conf).create_authorization_url(
        metadata["authorization_endpoint"],
        state=state,
        nonce=nonce,
        acr_values=conf.acr_values,
        prompt=conf.prompt,
    )
    return url


def _pop_attempt(request, state: str) -> dict | None:
    attempts = dict(request.session.get(ATTEMPTS_SESSION_KEY, {}))
    attempt = attempts.pop(state, None) if state else None
    request.session[ATTEMPTS_SESSION_KEY] = attempts
    if attempt and time.time() - attempt["created"] > ATTEMPT_LIFETIME_SECONDS:
        return None
    return attempt


# --- Token verification ------------------------------------------------------


def _header(token: str) -> dict:
    try:
        segment = token.split(".")[0]
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, IndexError) as exc:
        raise FranceConnectError(Reason.INVALID_TOKEN, f"unreadable header: {exc}")


def verify_signature(token: str, conf: FranceConnectConf, metadata: dict, what: str) -> dict:
    """Verify a JWS against the provider's JWKS; return its claims."""
    if not isinstance(token, str) or token.count(".") != 2:
        # Five segments would be an encrypted JWE: not configured here.
        raise FranceConnectError(Reason.INVALID_TOKEN, f"{what}: not a signed JWT")
    header = _header(token)
    algorithm = header.get("alg")
    if algorithm not in conf.signing_algorithms:
        # Never "none", never HS256 with a public key as secret.
        raise FranceConnectError(Reason.BAD_SIGNATURE, f"{what}: algorithm {algorithm!r}")
    jwks = provider_keys(conf, metadata)
    kid = header.get("kid")
    if kid and not any(k.get("kid") == kid for k in jwks.get("keys", [])):
        # The provider may have rotated its keys since we cached them.
        jwks = provider_keys(conf, metadata, refresh=True)
    try:
        key_set = KeySet.import_key_set(jwks)
        return jwt.decode(token, key_set, algorithms=[algorithm]).claims
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise FranceConnectError(Reason.BAD_SIGNATURE, f"{what}: {exc.__class__.__name__} {exc}")


def _check_audience(claims: dict, conf: FranceConnectConf, what: str) -> None:
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if conf.client_id not in audiences:
        raise FranceConnectError(Reason.WRONG_AUDIENCE, f"{what}: aud {audience!r}")
    if len(audiences) > 1 and claims.get("azp") != conf.client_id:
        raise FranceConnectError(Reason.WRONG_AUDIENCE, f"{what}: azp {claims.get('azp')!r}")


def _check_times(claims: dict, conf: FranceConnectConf, what: str, *, exp_required: bool):
    now = time.time()
    exp = claims.get("exp")
    if exp is None and not exp_required:
        return
    if not isinstance(exp, int | float):
        raise FranceConnectError(Reason.INVALID_TOKEN, f"{what}: exp {exp!r}")
    if now > exp + conf.clock_skew_seconds:
        raise FranceConnectError(Reason.EXPIRED, f"{what}: expired at {exp}")
    iat = claims.get("iat")
    if isinstance(iat, int | float) and iat > now + conf.clock_skew_seconds:
        raise FranceConnectError(Reason.INVALID_TOKEN, f"{what}: issued in the future")


def validate_id_token(
    claims: dict, conf: FranceConnectConf, metadata: dict, nonce: str, acr_values: str
) -> None:
    if claims.get("iss") != metadata["issuer"]:
        raise FranceConnectError(Reason.WRONG_ISSUER, f"id_token: iss {claims.get('iss')!r}")
    _check_audience(claims, conf, "id_token")
    _check_times(claims, conf, "id_token", exp_required=True)
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise FranceConnectError(Reason.INVALID_TOKEN, "id_token: no sub")
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise FranceConnectError(Reason.NONCE_MISMATCH, "id_token: nonce")
    requested = [v for v in acr_values.split() if v in EIDAS_RANK]
    if requested:
        minimum = min(EIDAS_RANK[v] for v in requested)
        if EIDAS_RANK.get(claims.get("acr"), 0) < minimum:
            raise FranceConnectError(Reason.ACR_TOO_LOW, f"acr {claims.get('acr')!r}")


def _fetch_userinfo(conf, metadata, access_token: str, id_claims: dict) -> dict:
    # Plain requests: Authlib's session would refuse a token that lives only
    # 60 s (FranceConnect's lifetime) as "about to expire".
    try:
        response = requests.get(
            metadata["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=conf.http_timeout,
        )
    except requests.RequestException as exc:
        raise FranceConnectError(Reason.PROVIDER_UNREACHABLE, f"userinfo: {exc}")
    if response.status_code != 200:
        raise FranceConnectError(Reason.USERINFO_INVALID, f"userinfo: HTTP {response.status_code}")
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if content_type != "application/jwt":
        # FranceConnect v2 signs userinfo; plain JSON could come from anyone.
        raise FranceConnectError(Reason.BAD_SIGNATURE, f"userinfo: unsigned ({content_type})")
    claims = verify_signature(response.text.strip(), conf, metadata, "userinfo")
    if claims.get("iss") != metadata["issuer"]:
        raise FranceConnectError(Reason.WRONG_ISSUER, f"userinfo: iss {claims.get('iss')!r}")
    _check_audience(claims, conf, "userinfo")
    _check_times(claims, conf, "userinfo", exp_required=False)
    if claims.get("sub") != id_claims["sub"]:
        raise FranceConnectError(Reason.USERINFO_INVALID, "userinfo: sub differs")
    return claims


def complete(request) -> Authentication:
    """Handle the provider's redirection back to the callback URL."""
    params = request.GET
    state = params.get("state", "")
    attempt = _pop_attempt(request, state)
    if params.get("error"):
        # Anyone can call the callback with any text: journal a known code
        # only, never the free-text error_description.
        raise FranceConnectError(Reason.PROVIDER_ERROR, f"error={provider_error_code(params)}")
    if attempt is None:
        raise FranceConnectError(Reason.STATE_MISMATCH, "unknown, used or expired state")
    code = params.get("code", "")
    if not code:
        raise FranceConnectError(Reason.MISSING_CODE)
    conf = get_conf()
    metadata = provider_metadata(conf)
    if params.get("iss") and params["iss"] != metadata["issuer"]:
        # RFC 9207: the response names its issuer (mix-up attack defence).
        raise FranceConnectError(
            Reason.WRONG_ISSUER, f"authorization response iss {params['iss']!r}"
        )
    # A code is single use at the provider too; refusing it here as well
    # avoids sending a stolen, replayed code anywhere. With Redis down the
    # soft cache answers None (not False): the provider's refusal remains.
    if _cache().add(_cache_key("code", code), 1, USED_CODE_SECONDS) is False:
        raise FranceConnectError(Reason.CODE_REPLAYED, "code already presented to this service")
    try:
        with _session(conf) as session:
            token = session.fetch_token(
                metadata["token_endpoint"],
                code=code,
                grant_type="authorization_code",
                timeout=conf.http_timeout,
            )
    except OAuthError as exc:
        if exc.error == "invalid_grant":
            raise FranceConnectError(Reason.CODE_REPLAYED, f"token endpoint: {exc.error}")
        raise FranceConnectError(Reason.TOKEN_ERROR, f"token endpoint: {exc.error}")
    except requests.RequestException as exc:
        raise FranceConnectError(Reason.PROVIDER_UNREACHABLE, f"token endpoint: {exc}")
    except ValueError as exc:
        raise FranceConnectError(Reason.TOKEN_ERROR, f"token endpoint: {exc}")
    id_token = token.get("id_token")
    if not id_token:
        raise FranceConnectError(Reason.TOKEN_ERROR, "no id_token")
    id_claims = verify_signature(id_token, conf, metadata, "id_token")
    validate_id_token(id_claims, conf, metadata, attempt["nonce"], attempt["acr_values"])
    userinfo = _fetch_userinfo(conf, metadata, token.get("access_token", ""), id_claims)
    return Authentication(
        sub=id_claims["sub"],
        acr=id_claims.get("acr", ""),
        issuer=metadata["issuer"],
        id_token=id_token,
        id_token_claims=id_claims,
        userinfo=userinfo,
        next_url=attempt.get("next", ""),
        link_user_id=attempt.get("link_user_id"),
    )


# --- Logout ----------------------------------------------------------------------


def end_session_url(*, id_token: str, state: str) -> str:
    """URL of the provider's end-session endpoint for this ID token, or ""."""
    conf = get_conf()
    metadata = provider_metadata(conf)
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return ""
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": conf.post_logout_redirect_uri,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
