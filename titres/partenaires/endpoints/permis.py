"""Driving licence: validity, categories and their dates, by NEPH and civil
status; the points balance only with the `permis.points` scope."""

import datetime as dt

from django.db.models import Prefetch, Q
from ninja import Header, Query, Router, Schema

from titres.core.normalisation import normalise_first_names, normalise_name
from titres.permis import selectors
from titres.permis.identifiers import compact, neph_is_valid
from titres.permis.models import LicenceCategory, LicenceRecord

from .. import errors, franceconnect
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
    found = call.lookup(
        selectors.record_for_partner,
        neph=compact(neph),
        birth_name=nom,
        first_names=prenoms,
        birth_date=birth_date,
        one_statement=True,
    )
    if found is None:
        raise errors.ApiError(
            errors.NOT_FOUND, "Aucun permis ne correspond à ce NEPH et à cet état civil."
        )
    # The busiest call: rendered without a second validation (common.Call.respond).
    return call.respond(_licence(call, *found))


def _licence(call, record, categories) -> dict:
    data = {}
    if call.has(Scope.PERMIS_VALIDITE):
        data.update(
            etat=record.state, etat_depuis=record.state_since, fin_suspension=record.suspension_end
        )
    if call.has(Scope.PERMIS_CATEGORIES):
        data["categories"] = [
            {"categorie": c.category, "obtenue_le": c.obtained_on, "valide_jusqu_au": c.valid_until}
            for c in categories
        ]
    if call.has(Scope.PERMIS_POINTS):
        data["solde_points"] = record.points_balance
    return data


def _record_of(citizen: franceconnect.Citizen):
    """The SNPC file whose civil status is the citizen's (birth or usage
    name, first names in order, birth date); none when two files match —
    the API never guesses between two people."""
    name = normalise_name(citizen.family_name)
    matches = list(
        LicenceRecord.objects.filter(
            Q(birth_name_normalised=name) | Q(usage_name_normalised=name),
            birth_date=citizen.birthdate,
            first_names_normalised=normalise_first_names(citizen.given_names),
        ).prefetch_related(
            Prefetch("categories", queryset=LicenceCategory.objects.order_by("obtained_on"))
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None


@router.get(
    "/permis-de-conduire/france_connect", response=responses(LicenceResponse), exclude_unset=True
)
def permis_france_connect(
    request,
    x_franceconnect_oauth: str | None = Header(None, alias=franceconnect.HEADER),
    trace: Query[Trace] = None,
):
    """Le permis de l'usager identifié par FranceConnect : son jeton d'accès
    FranceConnect (en-tête X-FranceConnect-OAuth) remplace NEPH et état civil."""
    call = begin(request, PERMIS_SCOPES, trace)
    citizen = franceconnect.citizen(x_franceconnect_oauth)
    record = call.lookup(_record_of, citizen)
    if record is None:
        raise errors.ApiError(errors.NOT_FOUND, "Aucun permis au nom de cet usager.")
    return call.answer(_licence(call, record, record.categories.all()))
