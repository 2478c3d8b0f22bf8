"""ID documents: is this card or passport number valid, expired, declared
lost or stolen (never anything of its holder); and the state of a
pré-demande by its number, for appointment software."""

import datetime as dt

from django.utils import timezone
from ninja import Header, Query, Router, Schema

from titres.core.normalisation import normalise_first_names, normalise_name
from titres.identite import numbers, selectors
from titres.identite.enums import UNKNOWN_STATUS, ApplicationStatus, TitleKind
from titres.identite.models import IssuedTitle, PreDemande

from .. import errors, franceconnect
from ..enums import Scope
from .common import Trace, bad_parameter, begin, envelope, optional_text, required_text, responses

router = Router(tags=["Titres d’identité"])


class Title(Schema):
    etat: str
    type_titre: str


class Appointment(Schema):
    lieu: str
    date: dt.datetime


class PreRequest(Schema):
    etat: str
    libelle: str
    rendez_vous: list[Appointment]


class OwnTitle(Schema):
    numero: str
    type_titre: str
    etat: str
    delivre_le: dt.date
    valable_jusqu_au: dt.date


class OwnTitles(Schema):
    titres: list[OwnTitle]


class OwnPreRequest(PreRequest):
    numero: str
    type_titre: str


class OwnPreRequests(Schema):
    pre_demandes: list[OwnPreRequest]


TitleResponse = envelope("TitleResponse", Title)
PreRequestResponse = envelope("PreRequestResponse", PreRequest)
OwnTitlesResponse = envelope("OwnTitlesResponse", OwnTitles)
OwnPreRequestsResponse = envelope("OwnPreRequestsResponse", OwnPreRequests)

# A citizen has a few titles and pré-demandes; a bound keeps the answer small.
MAX_OWN_ITEMS = 50


@router.get("/titre-identite", response=responses(TitleResponse), exclude_unset=True)
def titre_identite(
    request,
    numero: str | None = None,
    type_titre: str | None = None,
    trace: Query[Trace] = None,
):
    """État d'une carte nationale d'identité ou d'un passeport par son
    numéro : `valide`, `expire`, `declare_perdu` ou `declare_vole`. Aucune
    donnée du titulaire n'est renvoyée. `type_titre` (cni, passeport)
    restreint la recherche."""
    call = begin(request, (Scope.IDENTITE_TITRE,), trace)
    number = selectors.normalize_title_number(required_text("numero", numero))
    if not selectors.title_number_is_well_formed(number):
        raise bad_parameter(
            "numero",
            "Le paramètre « numero » doit être un numéro de titre : 9 lettres ou chiffres "
            "(carte d’identité depuis 2021, passeport) ou 12 chiffres (ancienne carte).",
        )
    kind = optional_text("type_titre", type_titre)
    if kind and kind not in TitleKind.values:
        raise bad_parameter(
            "type_titre", "Le paramètre « type_titre » vaut « cni » ou « passeport »."
        )
    title = call.lookup(selectors.issued_title, number, kind=kind or None)
    if title is None:
        raise errors.ApiError(errors.NOT_FOUND, "Aucun titre ne porte ce numéro.")
    return call.answer({"etat": title.state(timezone.localdate()), "type_titre": title.kind})


@router.get("/pre-demande", response=responses(PreRequestResponse), exclude_unset=True)
def pre_demande(request, numero: str | None = None, trace: Query[Trace] = None):
    """État d'une pré-demande de carte d'identité ou de passeport par son
    numéro (10 caractères), comme l'API de coordination des rendez-vous :
    `validated` (rendez-vous possible), `consumed` (dossier recueilli en
    mairie), `declared`, `expired` ; et ses rendez-vous actifs."""
    call = begin(request, (Scope.IDENTITE_PREDEMANDE,), trace)
    number = numbers.normalize(required_text("numero", numero))
    if not numbers.is_well_formed(number):
        raise bad_parameter(
            "numero",
            "Le paramètre « numero » doit être un numéro de pré-demande : 10 lettres ou "
            "chiffres, dont le dernier est une clé de contrôle.",
        )
    found = call.lookup(selectors.register_status, [number])[number]
    if found["status"] == UNKNOWN_STATUS:
        raise errors.ApiError(errors.NOT_FOUND, "Aucune pré-demande ne porte ce numéro.")
    return call.answer(_pre_request(found))


def _pre_request(found) -> dict:
    status = found["status"]
    return {
        "etat": status,
        "libelle": str(ApplicationStatus(status).label),
        "rendez_vous": [
            {"lieu": a.place_label, "date": timezone.localtime(a.starts_at)}
            for a in found["appointments"]
        ],
    }


def _predemandes_of(citizen: franceconnect.Citizen):
    """The pré-demandes made for this person: birth name, first names in
    order and birth date of the pivot identity (the register keeps the
    civil status the applicant typed, not normalised: compared here)."""
    name = normalise_name(citizen.family_name)
    first_names = normalise_first_names(citizen.given_names)
    return [
        p
        for p in PreDemande.objects.filter(birth_date=citizen.birthdate).order_by("-created_at")[
            : MAX_OWN_ITEMS * 4
        ]
        if normalise_name(p.last_name) == name
        and normalise_first_names(p.first_names) == first_names
    ][:MAX_OWN_ITEMS]


def _titles_of(citizen: franceconnect.Citizen) -> list[IssuedTitle]:
    """The titles issued from a démarche whose pré-demande is this person's
    — the register of issued titles keeps no civil status of its own, so a
    title issued outside the portal (no démarche) is not found this way."""
    demarches = [p.demarche_id for p in _predemandes_of(citizen) if p.demarche_id]
    return list(
        IssuedTitle.objects.filter(demarche_id__in=demarches).order_by("-issued_on")[:MAX_OWN_ITEMS]
    )


@router.get(
    "/titre-identite/france_connect", response=responses(OwnTitlesResponse), exclude_unset=True
)
def titre_identite_france_connect(
    request,
    x_franceconnect_oauth: str | None = Header(None, alias=franceconnect.HEADER),
    trace: Query[Trace] = None,
):
    """Les cartes d'identité et passeports de l'usager identifié par
    FranceConnect (son jeton d'accès FranceConnect, en-tête
    X-FranceConnect-OAuth, remplace le numéro) : numéro, type, état, dates.
    Ce sont ses propres données, d'où le numéro."""
    call = begin(request, (Scope.IDENTITE_TITRE,), trace)
    citizen = franceconnect.citizen(x_franceconnect_oauth)
    titles = call.lookup(_titles_of, citizen)
    if not titles:
        raise errors.ApiError(errors.NOT_FOUND, "Aucun titre d’identité au nom de cet usager.")
    today = timezone.localdate()
    return call.answer(
        {
            "titres": [
                {
                    "numero": t.number,
                    "type_titre": t.kind,
                    "etat": t.state(today),
                    "delivre_le": t.issued_on,
                    "valable_jusqu_au": t.expires_on,
                }
                for t in titles
            ]
        }
    )


def _own_predemandes(citizen: franceconnect.Citizen) -> list[tuple]:
    found = _predemandes_of(citizen)
    statuses = selectors.register_status([p.number for p in found])
    return [(p, statuses[p.number]) for p in found]


@router.get(
    "/pre-demande/france_connect",
    response=responses(OwnPreRequestsResponse),
    exclude_unset=True,
)
def pre_demande_france_connect(
    request,
    x_franceconnect_oauth: str | None = Header(None, alias=franceconnect.HEADER),
    trace: Query[Trace] = None,
):
    """Les pré-demandes faites pour l'usager identifié par FranceConnect
    (son jeton d'accès FranceConnect, en-tête X-FranceConnect-OAuth,
    remplace le numéro), avec leur état et leurs rendez-vous actifs."""
    call = begin(request, (Scope.IDENTITE_PREDEMANDE,), trace)
    citizen = franceconnect.citizen(x_franceconnect_oauth)
    found = call.lookup(_own_predemandes, citizen)
    if not found:
        raise errors.ApiError(errors.NOT_FOUND, "Aucune pré-demande au nom de cet usager.")
    return call.answer({"pre_demandes": [_own(p, status) for p, status in found]})


def _own(predemande, found) -> dict:
    return {
        "numero": predemande.number,
        "type_titre": predemande.title,
        **_pre_request(found),
    }
