"""What every endpoint checks and returns: `recipient` (SIRET of the public
body the call is made for), `context`/`object` for traceability, the scopes
of the token, and the `meta` block naming what was withheld."""

from stdnum.fr import siret

from .. import errors

MAX_TRACE_LENGTH = 200


def check_trace(recipient: str | None, context: str | None, object_: str | None) -> None:
    if not recipient:
        raise errors.ApiError(
            errors.BAD_RECIPIENT,
            "Le paramètre « recipient » (SIRET de l’organisme destinataire) est obligatoire.",
            source={"parameter": "recipient"},
        )
    if not siret.is_valid(recipient):
        raise errors.ApiError(
            errors.BAD_RECIPIENT,
            "Le paramètre « recipient » doit être un numéro SIRET valide (14 chiffres).",
            source={"parameter": "recipient"},
        )
    for name, value in (("context", context), ("object", object_)):
        if not value or not value.strip():
            raise errors.ApiError(
                errors.BAD_PARAMETER,
                f"Le paramètre « {name} » est obligatoire (traçabilité de l’appel).",
                source={"parameter": name},
            )
        if len(value) > MAX_TRACE_LENGTH:
            raise errors.ApiError(
                errors.BAD_PARAMETER,
                f"Le paramètre « {name} » dépasse {MAX_TRACE_LENGTH} caractères.",
                source={"parameter": name},
            )


def require_any_scope(token, scopes) -> set[str]:
    granted = set(token.scopes) & {str(s) for s in scopes}
    if not granted:
        raise errors.ApiError(
            errors.FORBIDDEN,
            "Ce jeton n’a accès à aucune donnée de cet appel (périmètre).",
            meta={"scopes_required_any": sorted(str(s) for s in scopes)},
        )
    return granted
