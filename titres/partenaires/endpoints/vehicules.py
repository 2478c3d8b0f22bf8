"""Vehicle: the registration extract and the administrative situation by
plate, and how well a person (or company) the partner names matches the
current holders — as scores, never the holder's data."""

import datetime as dt
from difflib import SequenceMatcher
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Header, Query, Router, Schema

from titres.core.normalisation import normalise_first_names, normalise_name
from titres.vehicules import plates, selectors
from titres.vehicules.enums import HolderRole, PersonKind, SituationKind
from titres.vehicules.models import Holder

from .. import errors, franceconnect
from ..enums import VEHICULE_SCOPES, Scope
from .common import (
    Trace,
    begin,
    envelope,
    optional_text,
    parse_date,
    required_text,
    responses,
)

router = Router(tags=["Véhicules"])

# What the situation block reports (seed: gage, opposition, theft, VE/VGE;
# a suspended certificate matters to the same partners).
SITUATIONS = (
    SituationKind.GAGE,
    SituationKind.OPPOSITION,
    SituationKind.VOL,
    SituationKind.VE,
    SituationKind.VGE,
    SituationKind.SUSPENSION,
)
FULL_MATCH = 1.0
PARTIAL_MATCH = 0.8


class Registration(Schema):
    immatriculation: str
    # "annulee": a first registration annulled (the dealer's file rejected
    # or abandoned): the number is no valid registration, the vehicle may
    # not be driven under it; `date_annulation` says since when.
    etat: Literal["valide", "annulee"]
    date_annulation: dt.date | None = None
    systeme: str
    vin: str
    marque: str
    type_variante_version: str
    denomination_commerciale: str
    genre: str
    energie: str
    puissance_fiscale: int
    date_premiere_immatriculation: dt.date
    date_certificat: dt.date
    co2_g_km: int | None = None
    ptac_kg: int | None = None
    places_assises: int | None = None


class Inscription(Schema):
    inscrit: bool
    depuis: dt.date | None = None


class Situation(Schema):
    immatriculation_annulee: Inscription
    gage: Inscription
    opposition: Inscription
    vol: Inscription
    ve: Inscription
    vge: Inscription
    suspension: Inscription


class HolderScores(Schema):
    nom: float | None = None
    prenoms: float | None = None
    date_naissance: float | None = None
    siret: float | None = None


class HolderMatch(Schema):
    scores: HolderScores
    score_global: float
    concordance: str


class Vehicle(Schema):
    immatriculation: Registration | None = None
    situation: Situation | None = None
    titulaire: HolderMatch | None = None


class OwnVehicle(Schema):
    immatriculation: Registration | None = None
    situation: Situation | None = None
    qualite: str | None = None


class OwnVehicles(Schema):
    vehicules: list[OwnVehicle]


VehicleResponse = envelope("VehicleResponse", Vehicle)
OwnVehiclesResponse = envelope("OwnVehiclesResponse", OwnVehicles)


def _ratio(given: str, stored: str) -> float:
    if not given or not stored:
        return 0.0
    return round(SequenceMatcher(None, given, stored).ratio(), 2)


def _first_names_score(given: str, stored: str) -> float:
    wanted = normalise_first_names(given).split(",")
    held = normalise_first_names(stored).split(",")
    # People leave out their later first names: a prefix in civil order is a match.
    if wanted and held[: len(wanted)] == wanted:
        return FULL_MATCH
    return _ratio(" ".join(wanted), " ".join(held))


def _date_score(given: dt.date, stored: dt.date | None) -> float:
    if stored is None:
        return 0.0
    if given == stored:
        return FULL_MATCH
    if (given.year, given.month, given.day) == (stored.year, stored.day, stored.month):
        return 0.5  # day and month swapped, the usual slip
    return 0.0


def _scores(holder, *, nom, prenoms, birth_date, siret) -> dict[str, float]:
    scores = {}
    if holder.person_kind == PersonKind.MORALE:
        if siret:
            scores["siret"] = FULL_MATCH if holder.siret == siret else 0.0
        if nom:
            scores["nom"] = _ratio(normalise_name(nom), normalise_name(holder.company_name))
        return scores
    if nom:
        names = [holder.last_name, holder.usage_name]
        scores["nom"] = max(_ratio(normalise_name(nom), normalise_name(n)) for n in names if n)
    if prenoms:
        scores["prenoms"] = _first_names_score(prenoms, holder.first_names)
    if birth_date:
        scores["date_naissance"] = _date_score(birth_date, holder.birth_date)
    if siret:
        scores["siret"] = 0.0
    return scores


def holder_match(vehicle, *, nom, prenoms, birth_date, siret) -> dict:
    """The best match among the current titulaire and cotitulaires."""
    best = None
    for holder in vehicle.current_holders():
        if holder.role not in (HolderRole.TITULAIRE, HolderRole.COTITULAIRE):
            continue
        scores = _scores(holder, nom=nom, prenoms=prenoms, birth_date=birth_date, siret=siret)
        overall = round(sum(scores.values()) / len(scores), 2) if scores else 0.0
        if best is None or overall > best[1]:
            best = (scores, overall)
    scores, overall = best or ({}, 0.0)
    if scores and min(scores.values()) >= FULL_MATCH:
        concordance = "totale"
    elif overall >= PARTIAL_MATCH:
        concordance = "partielle"
    else:
        concordance = "aucune"
    return {"scores": scores, "score_global": overall, "concordance": concordance}


def _annulment(vehicle):
    return next((s for s in vehicle.active_situations() if s.kind == SituationKind.ANNULEE), None)


def _registration(vehicle) -> dict:
    # Never the numéro de formule: it proves who holds the card.
    annulment = _annulment(vehicle)
    return {
        "immatriculation": vehicle.plate_display,
        "etat": "annulee" if annulment else "valide",
        **({"date_annulation": annulment.registered_on} if annulment else {}),
        "systeme": vehicle.plate_system,
        "vin": vehicle.vin,
        "marque": vehicle.make,
        "type_variante_version": vehicle.vehicle_type,
        "denomination_commerciale": vehicle.commercial_name,
        "genre": vehicle.category,
        "energie": vehicle.energy,
        "puissance_fiscale": vehicle.fiscal_power,
        "date_premiere_immatriculation": vehicle.first_registration_date,
        "date_certificat": vehicle.ci_date,
        "co2_g_km": vehicle.co2,
        "ptac_kg": vehicle.gross_weight_kg,
        "places_assises": vehicle.seats,
    }


def _situation(vehicle) -> dict:
    active = {s.kind: s for s in vehicle.active_situations()}

    def inscription(kind) -> dict:
        return {
            "inscrit": kind in active,
            "depuis": active[kind].registered_on if kind in active else None,
        }

    return {
        "immatriculation_annulee": inscription(SituationKind.ANNULEE),
        **{str(kind): inscription(kind) for kind in SITUATIONS},
    }


def _find(plate: str):
    return selectors.vehicles_with_registry().filter(plate=plate).first()


@router.get("/vehicule", response=responses(VehicleResponse), exclude_unset=True)
def vehicule(
    request,
    immatriculation: str | None = None,
    nom: str | None = None,
    prenoms: str | None = None,
    date_naissance: str | None = None,
    siret: str | None = None,
    trace: Query[Trace] = None,
):
    """Extrait d'immatriculation et situation administrative d'un véhicule par
    son numéro (SIV AB-123-CD ou FNI 123 AB 01). Avec `nom` (et `prenoms`,
    `date_naissance`) ou `siret`, la concordance avec le titulaire actuel :
    un score par champ (0 à 1), un score global et `concordance`
    (totale, partielle, aucune) ; jamais les données du titulaire."""
    call = begin(request, VEHICULE_SCOPES, trace)
    try:
        plate = plates.parse_plate(required_text("immatriculation", immatriculation))
    except ValidationError as error:
        raise errors.ApiError(
            errors.BAD_PARAMETER, error.messages[0], source={"parameter": "immatriculation"}
        )
    nom = optional_text("nom", nom)
    prenoms = optional_text("prenoms", prenoms)
    siret = optional_text("siret", siret)
    birth_date = parse_date("date_naissance", date_naissance) if date_naissance else None
    vehicle = call.lookup(_find, plate.canonical)
    if vehicle is None:
        raise errors.ApiError(
            errors.NOT_FOUND, f"Aucun véhicule n’est immatriculé sous le numéro {plate.display}."
        )
    data = {}
    if call.has(Scope.VEHICULE_IMMATRICULATION):
        data["immatriculation"] = _registration(vehicle)
    if call.has(Scope.VEHICULE_SITUATION):
        data["situation"] = _situation(vehicle)
    if call.has(Scope.VEHICULE_TITULAIRE) and (nom or siret):
        data["titulaire"] = holder_match(
            vehicle, nom=nom, prenoms=prenoms, birth_date=birth_date, siret=siret
        )
    return call.answer(data)


# A citizen holds at most a few vehicles; a bound keeps the answer small.
MAX_OWN_VEHICLES = 50


def _vehicles_of(citizen: franceconnect.Citizen) -> list[tuple]:
    """(vehicle, role) for each vehicle whose current titulaire or
    cotitulaire is this natural person: birth or usage name, first names in
    order and birth date of the pivot identity (the same rule as the
    licence's FranceConnect call)."""
    name = normalise_name(citizen.family_name)
    holders = (
        Holder.objects.filter(
            person_kind=PersonKind.PHYSIQUE,
            role__in=(HolderRole.TITULAIRE, HolderRole.COTITULAIRE),
            until__isnull=True,
            birth_date=citizen.birthdate,
            first_names_normalised=normalise_first_names(citizen.given_names),
        )
        .only("vehicle_id", "role", "last_name", "usage_name")
        .order_by("vehicle_id")
    )
    roles = {
        h.vehicle_id: h.role
        for h in holders
        if name in (normalise_name(h.last_name), normalise_name(h.usage_name))
    }
    vehicles = selectors.vehicles_with_registry().filter(pk__in=list(roles)[:MAX_OWN_VEHICLES])
    return [(v, roles[v.pk]) for v in vehicles.order_by("plate")]


@router.get("/vehicule/france_connect", response=responses(OwnVehiclesResponse), exclude_unset=True)
def vehicule_france_connect(
    request,
    x_franceconnect_oauth: str | None = Header(None, alias=franceconnect.HEADER),
    trace: Query[Trace] = None,
):
    """Les véhicules dont l'usager identifié par FranceConnect est titulaire ou
    cotitulaire : son jeton d'accès FranceConnect (en-tête
    X-FranceConnect-OAuth) remplace le numéro d'immatriculation. Pour
    chacun, l'extrait, la situation et sa qualité (titulaire, cotitulaire)
    selon le périmètre du jeton."""
    call = begin(request, VEHICULE_SCOPES, trace)
    citizen = franceconnect.citizen(x_franceconnect_oauth)
    found = call.lookup(_vehicles_of, citizen)
    if not found:
        raise errors.ApiError(errors.NOT_FOUND, "Aucun véhicule au nom de cet usager.")
    vehicles = []
    for vehicle, role in found:
        item = {}
        if call.has(Scope.VEHICULE_IMMATRICULATION):
            item["immatriculation"] = _registration(vehicle)
        if call.has(Scope.VEHICULE_SITUATION):
            item["situation"] = _situation(vehicle)
        if call.has(Scope.VEHICULE_TITULAIRE):
            item["qualite"] = role
        vehicles.append(item)
    return call.answer({"vehicules": vehicles})
