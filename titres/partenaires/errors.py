"""The API's errors, in the format partners know from API Particulier /
API Entreprise: {"errors": [{"code", "title", "detail", "source", "meta"}]}
with stable 5-digit codes and French titles. Never a 500, never HTML."""

from dataclasses import dataclass, field

UNKNOWN_TOKEN = "00101"  # noqa: S105 - an error code, not a secret
EXPIRED_TOKEN = "00103"  # noqa: S105 - an error code, not a secret
REVOKED_TOKEN = "00105"  # noqa: S105 - an error code, not a secret
FC_TOKEN_INVALID = "00106"  # noqa: S105 - an error code, not a secret
FORBIDDEN = "00100"
IN_PROGRESS = "00015"
BAD_PARAMETER = "00201"
BAD_RECIPIENT = "00203"
NOT_FOUND = "00404"
METHOD_NOT_ALLOWED = "00405"
OVER_QUOTA = "00429"
INTERNAL = "00500"
REGISTRY_UNAVAILABLE = "00502"
REGISTRY_TIMEOUT = "00504"
FC_UNAVAILABLE = "00503"
# Seconds a partner should wait before calling again after a 502/504.
RETRY_IN_SECONDS = 5

TITLES = {
    UNKNOWN_TOKEN: "Jeton absent ou inconnu",
    EXPIRED_TOKEN: "Jeton expiré",
    REVOKED_TOKEN: "Jeton révoqué ou suspendu",
    FC_TOKEN_INVALID: "Jeton FranceConnect absent, invalide ou expiré",
    FORBIDDEN: "Accès interdit",
    IN_PROGRESS: "Requête identique déjà en cours",
    BAD_PARAMETER: "Paramètre absent ou invalide",
    BAD_RECIPIENT: "Destinataire (recipient) absent ou invalide",
    NOT_FOUND: "Aucune donnée trouvée",
    METHOD_NOT_ALLOWED: "Méthode non autorisée",
    OVER_QUOTA: "Trop de requêtes",
    INTERNAL: "Erreur interne",
    REGISTRY_UNAVAILABLE: "Registre indisponible",
    REGISTRY_TIMEOUT: "Délai de réponse du registre dépassé",
    FC_UNAVAILABLE: "FranceConnect indisponible",
}
STATUS = {
    UNKNOWN_TOKEN: 401,
    EXPIRED_TOKEN: 401,
    REVOKED_TOKEN: 401,
    FC_TOKEN_INVALID: 401,
    FORBIDDEN: 403,
    IN_PROGRESS: 409,
    BAD_PARAMETER: 422,
    BAD_RECIPIENT: 422,
    NOT_FOUND: 404,
    METHOD_NOT_ALLOWED: 405,
    OVER_QUOTA: 429,
    INTERNAL: 502,
    REGISTRY_UNAVAILABLE: 502,
    REGISTRY_TIMEOUT: 504,
    FC_UNAVAILABLE: 502,
}


@dataclass
class ApiError(Exception):
    code: str
    detail: str
    source: dict | None = None
    meta: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)

    @property
    def status(self) -> int:
        return STATUS[self.code]

    def body(self) -> dict:
        return {
            "errors": [
                {
                    "code": self.code,
                    "title": TITLES[self.code],
                    "detail": self.detail,
                    "source": self.source,
                    "meta": self.meta,
                }
            ]
        }
