"""Driving licence: validity, categories and their dates, by NEPH and civil
status; the points balance only with the `permis.points` scope."""

import datetime as dt

from ninja import Query, Router, Schema

from titres.permis import selectors
from titres.permis.identifiers import compact, neph_is_valid

from .. import errors
from ..enums import PERMIS_SCOPES, Scope
from .common import Trace, bad_parameter, begin, envelope, parse_date, required_text, responses

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


LicenceResponse = envelope("LicenceResponse", Licence)


@router.get("/permis-de-conduire", response=responses(LicenceResponse), exclude_unset=True)
def permis(
    request,
    neph: str | None = None,
    nom: str | None = None,
    prenoms: str | None = None,
    date_naissance: str | None = None,
    trace: Query[Trace] = None,
):
    """Validité et catégories d'un permis, par NEPH et état civil. `prenoms`:
    les prénoms dans l'ordre de l'état civil, séparés par des virgules."""
    call = begin(request, PERMIS_SCOPES, trace)
    if not neph_is_valid(neph):
        raise bad_parameter("neph", "Le paramètre « neph » doit être un NEPH valide (12 chiffres).")
    nom = required_text("nom", nom)
    prenoms = required_text("prenoms", prenoms)
    birth_date = parse_date("date_naissance", date_naissance)
    record = call.lookup(
        selectors.record_for_partner,
        neph=compact(neph),
        birth_name=nom,
        first_names=prenoms,
        birth_date=birth_date,
    )
    if record is None:
        raise errors.ApiError(
            errors.NOT_FOUND, "Aucun permis ne correspond à ce NEPH et à cet état civil."
        )
    data = {}
    if call.has(Scope.PERMIS_VALIDITE):
        data.update(
            etat=record.state, etat_depuis=record.state_since, fin_suspension=record.suspension_end
        )
    if call.has(Scope.PERMIS_CATEGORIES):
        data["categories"] = [
            {"categorie": c.category, "obtenue_le": c.obtained_on, "valide_jusqu_au": c.valid_until}
            for c in record.categories.all()
        ]
    if call.has(Scope.PERMIS_POINTS):
        data["solde_points"] = record.points_balance
    return call.answer(data)
