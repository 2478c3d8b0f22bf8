"""FranceConnect-backed calls (`…/france_connect`): the citizen's
FranceConnect access token, passed by the partner in `X-FranceConnect-OAuth`
(API Particulier's convention), replaces the search keys. The portal asks
the provider's userinfo endpoint with it — so an expired, revoked or foreign
token is refused by the provider itself — checks the signature and the
issuer of the answer (titres.franceconnect.client, the same checks as the
portal's own sign-in), and answers with that citizen's data only.

The token was issued to the partner's FranceConnect client, not to the
portal's: its audience is the partner's, so it is not compared with ours."""

import datetime as dt
import time
from dataclasses import dataclass

import requests

from titres.franceconnect import client as fc_client
from titres.franceconnect.conf import get_conf

from . import errors

HEADER = "X-FranceConnect-OAuth"
MAX_TOKEN_LENGTH = 2048


@dataclass(frozen=True)
class Citizen:
    given_names: list[str]
    family_name: str
    birthdate: dt.date
    gender: str


def _invalid(detail: str) -> errors.ApiError:
    return errors.ApiError(errors.FC_TOKEN_INVALID, detail, source={"header": HEADER})


def _unreachable() -> errors.ApiError:
    return errors.ApiError(
        errors.FC_UNAVAILABLE,
        "FranceConnect n’a pas répondu : réessayez dans quelques secondes.",
        meta={"retry_in": errors.RETRY_IN_SECONDS},
        headers={"Retry-After": str(errors.RETRY_IN_SECONDS)},
    )


def citizen(token: str | None) -> Citizen:
    token = (token or "").strip()
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii() or " " in token:
        raise _invalid(
            f"L’en-tête « {HEADER} » (jeton d’accès FranceConnect de l’usager) est absent "
            "ou mal formé."
        )
    conf = get_conf()
    try:
        metadata = fc_client.provider_metadata(conf)
        response = requests.get(
            metadata["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {token}"},
            timeout=conf.http_timeout,
        )
    except (fc_client.FranceConnectError, requests.RequestException, KeyError):
        raise _unreachable()
    if response.status_code in (400, 401, 403):
        raise _invalid(
            "Le jeton FranceConnect est invalide ou expiré : l’usager doit se connecter de "
            "nouveau avec FranceConnect."
        )
    if response.status_code != 200:
        raise _unreachable()
    try:
        claims = fc_client.verify_signature(response.text.strip(), conf, metadata, "userinfo")
    except fc_client.FranceConnectError as error:
        if error.reason == fc_client.Reason.PROVIDER_UNREACHABLE:
            raise _unreachable()
        raise _invalid("La réponse de FranceConnect n’est pas signée par le fournisseur.")
    expires = claims.get("exp")
    if claims.get("iss") != metadata.get("issuer") or (
        isinstance(expires, int | float) and time.time() > expires + conf.clock_skew_seconds
    ):
        raise _invalid("La réponse de FranceConnect ne vient pas du fournisseur attendu.")
    try:
        return Citizen(
            given_names=str(claims["given_name"]).split(),
            family_name=str(claims["family_name"]),
            birthdate=dt.date.fromisoformat(str(claims["birthdate"])),
            gender=str(claims.get("gender", "")),
        )
    except (KeyError, ValueError):
        raise errors.ApiError(
            errors.FORBIDDEN,
            "Le jeton FranceConnect ne donne pas l’identité pivot de l’usager "
            "(périmètre FranceConnect « identite_pivot »).",
        )
