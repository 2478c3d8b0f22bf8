"""The partner data API, version 1 (django-ninja). Adding an endpoint: a
module in endpoints/ with its Router, added below."""

import logging

from django.http import JsonResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from . import errors
from .auth import PartnerBearer
from .endpoints import identite, permis, status, vehicules

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="API Titres pour les partenaires",
    version="1",
    description=(
        "Données des registres des titres sécurisés pour les organismes habilités. "
        "Authentification par jeton (Bearer) ; un jeton par démarche ; 20 appels par "
        "seconde et par jeton. Voir docs/api.md."
    ),
    auth=PartnerBearer(),
    urls_namespace="partenaires_api",
    # Swagger UI from django-ninja's own static files ("ninja" is in
    # INSTALLED_APPS, so no CDN: the CSP allows scripts from this site only).
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", permis.router)
api.add_router("/", vehicules.router)
api.add_router("/", identite.router)
api.add_router("/", status.router)


def error_response(request, error: errors.ApiError) -> JsonResponse:
    request.partner_error_code = error.code
    response = JsonResponse(error.body(), status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


@api.exception_handler(errors.ApiError)
def _api_error(request, exc: errors.ApiError):
    return error_response(request, exc)


@api.exception_handler(NinjaValidationError)
def _validation(request, exc):
    first = exc.errors[0] if exc.errors else {}
    name = ".".join(str(p) for p in first.get("loc", [])[1:]) or None
    code = errors.BAD_RECIPIENT if name == "recipient" else errors.BAD_PARAMETER
    return error_response(
        request,
        errors.ApiError(code, "Paramètre invalide.", source={"parameter": name} if name else None),
    )


@api.exception_handler(AuthenticationError)
def _authentication(request, exc):
    return error_response(request, errors.ApiError(errors.UNKNOWN_TOKEN, "Jeton absent."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    code = {404: errors.NOT_FOUND, 429: errors.OVER_QUOTA}.get(
        exc.status_code, errors.BAD_PARAMETER
    )
    return error_response(request, errors.ApiError(code, str(exc)))


@api.exception_handler(Exception)
def _unexpected(request, exc):
    # Never a 500 page: a JSON error partners can report with its request id.
    logger.exception("Erreur de l’API partenaires")
    return error_response(
        request,
        errors.ApiError(
            errors.INTERNAL,
            "Erreur inattendue : réessayez ; si elle persiste, signalez l’identifiant de requête.",
            meta={"retry_in": 5},
        ),
    )
