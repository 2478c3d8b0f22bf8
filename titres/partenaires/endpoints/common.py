"""The plumbing every endpoint shares, so that adding one is a module with
its Router and a few lines in api.py:

    @router.get("/x", response=responses(XResponse), exclude_unset=True)
    def x(request, key: str | None = None, trace: Query[Trace] = None):
        call = begin(request, X_SCOPES, trace)          # scope + recipient/context/object
        found = call.lookup(registry.find, key)          # 502/504 if the registry fails
        data = {}
        if call.has(Scope.X_PART):
            data["part"] = ...
        return call.answer(data)                         # {"data", "meta": {"withheld"}}

Authentication, quota, request id, RateLimit-* headers and the call log are
done around every call (auth.PartnerBearer, middleware)."""

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from ninja import Field, Schema
from ninja.renderers import JSONRenderer
from pydantic import create_model
from stdnum.fr import siret

from .. import errors

MAX_TRACE_LENGTH = 200
MAX_PARAMETER_LENGTH = 200
# A registry read longer than this is cut (PostgreSQL statement_timeout) and
# answered 504: a partner waits seconds, never a hung connection.
REGISTRY_TIMEOUT_MS = 3000
# PostgreSQL's query_canceled (statement_timeout reached).
_QUERY_CANCELED = "57014"
# The API's renderer (api.py sets none of its own).
_RENDERER = JSONRenderer()
_CONTENT_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"


class Trace(Schema):
    """Parameters of every call (seed 004: traceability of each access)."""

    recipient: str | None = Field(
        None,
        description="SIRET de l’organisme public pour le compte duquel l’appel est fait.",
    )
    context: str | None = Field(None, description="Cadre de l’appel (200 caractères au plus).")
    object: str | None = Field(
        None, description="Objet de l’appel, ex. numéro de dossier (200 caractères au plus)."
    )


class Meta(Schema):
    withheld: list[str] = Field(description="Groupes de données hors du périmètre du jeton.")
    request_id: str


class ErrorItem(Schema):
    code: str
    title: str
    detail: str
    source: dict | None = None
    meta: dict


class ErrorResponse(Schema):
    errors: list[ErrorItem]


ERROR_STATUSES = (401, 403, 404, 409, 422, 429, 502, 504)


def envelope(name: str, data: type[Schema]) -> type[Schema]:
    """The answer's schema: {"data": <data>, "meta": Meta}."""
    return create_model(name, __base__=Schema, data=(data, ...), meta=(Meta, ...))


def responses(schema: type[Schema]) -> dict:
    return {200: schema, **dict.fromkeys(ERROR_STATUSES, ErrorResponse)}


def bad_parameter(name: str, detail: str) -> errors.ApiError:
    return errors.ApiError(errors.BAD_PARAMETER, detail, source={"parameter": name})


def required_text(name: str, value: str | None) -> str:
    if not value or not value.strip() or len(value) > MAX_PARAMETER_LENGTH:
        raise bad_parameter(
            name,
            f"Le paramètre « {name} » est obligatoire ({MAX_PARAMETER_LENGTH} caractères au plus).",
        )
    return value.strip()


def optional_text(name: str, value: str | None) -> str:
    if value and len(value) > MAX_PARAMETER_LENGTH:
        raise bad_parameter(
            name, f"Le paramètre « {name} » dépasse {MAX_PARAMETER_LENGTH} caractères."
        )
    return (value or "").strip()


def parse_date(name: str, value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise bad_parameter(name, f"Le paramètre « {name} » doit être une date AAAA-MM-JJ.")


# The same few recipients on every call: their check (Luhn on SIREN and
# SIRET) made once per process; a pure function of the string.
_siret_is_valid = functools.lru_cache(maxsize=4096)(siret.is_valid)


def check_trace(recipient: str | None, context: str | None, object_: str | None) -> None:
    if not recipient:
        raise errors.ApiError(
            errors.BAD_RECIPIENT,
            "Le paramètre « recipient » (SIRET de l’organisme destinataire) est obligatoire.",
            source={"parameter": "recipient"},
        )
    if not _siret_is_valid(recipient):
        raise errors.ApiError(
            errors.BAD_RECIPIENT,
            "Le paramètre « recipient » doit être un numéro SIRET valide (14 chiffres).",
            source={"parameter": "recipient"},
        )
    for name, value in (("context", context), ("object", object_)):
        if not value or not value.strip():
            raise bad_parameter(
                name, f"Le paramètre « {name} » est obligatoire (traçabilité de l’appel)."
            )
        if len(value) > MAX_TRACE_LENGTH:
            raise bad_parameter(
                name, f"Le paramètre « {name} » dépasse {MAX_TRACE_LENGTH} caractères."
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


def _registry_error(*, timeout: bool) -> errors.ApiError:
    retry = {"retry_in": errors.RETRY_IN_SECONDS}
    headers = {"Retry-After": str(errors.RETRY_IN_SECONDS)}
    if timeout:
        return errors.ApiError(
            errors.REGISTRY_TIMEOUT,
            "Le registre n’a pas répondu à temps : réessayez dans quelques secondes.",
            meta=retry,
            headers=headers,
        )
    return errors.ApiError(
        errors.REGISTRY_UNAVAILABLE,
        "Le registre est momentanément indisponible : réessayez dans quelques secondes.",
        meta=retry,
        headers=headers,
    )


@dataclass
class Call:
    """One partner call once its token may read some of the endpoint's data."""

    request: object
    scopes: tuple
    granted: set[str]

    def has(self, scope) -> bool:
        return str(scope) in self.granted

    def lookup(self, function, *args, one_statement: bool = False, **kwargs):
        """A registry read. A registry that fails is a 502 and one that does
        not answer in time a 504, both with `meta.retry_in`: never a 500.

        On PostgreSQL the read is cut at REGISTRY_TIMEOUT_MS. `one_statement`:
        `function` reads in one SQL statement and takes `statement_timeout_ms`,
        which it sends in the same query string (`SET LOCAL …; SELECT …`: one
        exchange, PostgreSQL runs both in one implicit transaction, so the
        limit ends with it) instead of BEGIN, SET LOCAL, the read and COMMIT,
        four exchanges (issue 20). Inside a transaction already open (a
        caller's atomic block), SET LOCAL would outlive the read: the
        savepoint as for any other read."""
        try:
            if connection.vendor != "postgresql":
                return function(*args, **kwargs)
            if one_statement and not connection.in_atomic_block:
                return function(*args, statement_timeout_ms=REGISTRY_TIMEOUT_MS, **kwargs)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL statement_timeout = {REGISTRY_TIMEOUT_MS}")
                return function(*args, **kwargs)
        except DatabaseError as exc:
            timed_out = getattr(exc.__cause__, "sqlstate", None) == _QUERY_CANCELED
            raise _registry_error(timeout=timed_out)
        except TimeoutError:
            raise _registry_error(timeout=True)

    def answer(self, data: dict) -> dict:
        withheld = sorted(str(s) for s in self.scopes if str(s) not in self.granted)
        return {
            "data": data,
            "meta": {"withheld": withheld, "request_id": self.request.request_id},
        }

    def respond(self, data: dict) -> HttpResponse:
        """`answer`, rendered here as django-ninja renders it, without its
        second validation against the response schema (a quarter of a
        millisecond per call): only for an endpoint whose `data` holds the
        schema's own fields with plain values and dates, built by hand (the
        licence call, issue 20). The route keeps its `response=`, so the
        OpenAPI document does not change; tests/partenaires validate these
        answers against it."""
        body = _RENDERER.render(self.request, self.answer(data), response_status=200)
        return HttpResponse(body, content_type=_CONTENT_TYPE)


def begin(request, scopes, trace: "Trace | None") -> Call:
    """Scope first (a token without any of the endpoint's data learns
    nothing else), then the traceability parameters."""
    granted = require_any_scope(request.auth, scopes)
    trace = trace or Trace()
    check_trace(trace.recipient, trace.context, trace.object)
    return Call(request=request, scopes=tuple(scopes), granted=granted)
