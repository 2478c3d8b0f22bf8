"""Driving licence: validity, categories and their dates, by NEPH and civil
status; the points balance only with the `permis.points` scope."""

import datetime as dt

from ninja import Router, Schema

from titres.permis import selectors
from titres.permis.identifiers import compact, neph_is_valid

from .. import errors
from ..enums import PERMIS_SCOPES, Scope
from .common import check_trace, require_any_scope

router = Router(tags=["Permis de conduire"])


class Category(Schema):
    categorie: str
    obtenue_le: dt.date
    valide_jusqu_au: dt.date | None = None


class Licence(Schema):
    etat: str | None = None
    etat_depuis: dt.date | None = None
    fin_suspension: dt.date | None = None
    categories: list[Category] | None = None
    solde_points: int | None = None


class Meta(Schema):
    withheld: list[str]
    request_id: str


class LicenceResponse(Schema):
    data: Licence
    meta: Meta


class ErrorItem(Schema):
    code: str
    title: str
    detail: str
    source: dict | None = None
    meta: dict


class ErrorResponse(Schema):
    errors: list[ErrorItem]


ERRORS = dict.fromkeys((401, 403, 404, 422, 429), ErrorResponse)


def _parse_date(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise errors.ApiError(
            errors.BAD_PARAMETER,
            "Le paramètre « date_naissance » doit être une date AAAA-MM-JJ.",
            source={"parameter": "date_naissance"},
        )


@router.get("/permis-de-conduire", response={200: LicenceResponse, **ERRORS}, exclude_unset=True)
def permis(
    request,
    neph: str | None = None,
    nom: str | None = None,
    prenoms: str | None = None,
    date_naissance: str | None = None,
    recipient: str | None = None,
    context: str | None = None,
    object: str | None = None,
):
    """Validité et catégories d'un permis, par NEPH et état civil. `prenoms`:
    les prénoms dans l'ordre de l'état civil, séparés par des virgules."""
    token = request.auth
    granted = require_any_scope(token, PERMIS_SCOPES)
    check_trace(recipient, context, object)
    if not neph_is_valid(neph):
        raise errors.ApiError(
            errors.BAD_PARAMETER,
            "Le paramètre « neph » doit être un NEPH valide (12 chiffres).",
            source={"parameter": "neph"},
        )
    for name, value in (("nom", nom), ("prenoms", prenoms)):
        if not value or not value.strip() or len(value) > 200:
            raise errors.ApiError(
                errors.BAD_PARAMETER,
                f"Le paramètre « {name} » est obligatoire (200 caractères au plus).",
                source={"parameter": name},
            )
    birth_date = _parse_date(date_naissance)
    record = selectors.record_for_partner(
        neph=compact(neph), birth_name=nom, first_names=prenoms, birth_date=birth_date
    )
    if record is None:
        raise errors.ApiError(
            errors.NOT_FOUND, "Aucun permis ne correspond à ce NEPH et à cet état civil."
        )
    data = {}
    if Scope.PERMIS_VALIDITE in granted:
        data.update(
            etat=record.state, etat_depuis=record.state_since, fin_suspension=record.suspension_end
        )
    if Scope.PERMIS_CATEGORIES in granted:
        data["categories"] = [
            {"categorie": c.category, "obtenue_le": c.obtained_on, "valide_jusqu_au": c.valid_until}
            for c in record.categories.all()
        ]
    if Scope.PERMIS_POINTS in granted:
        data["solde_points"] = record.points_balance
    withheld = sorted(str(s) for s in PERMIS_SCOPES if s not in granted)
    return {"data": data, "meta": {"withheld": withheld, "request_id": request.request_id}}
