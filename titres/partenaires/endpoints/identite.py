"""ID documents: is this card or passport number valid, expired, declared
lost or stolen (never anything of its holder); and the state of a
pré-demande by its number, for appointment software."""

import datetime as dt

from django.utils import timezone
from ninja import Query, Router, Schema

from titres.identite import numbers, selectors
from titres.identite.enums import UNKNOWN_STATUS, ApplicationStatus, TitleKind

from .. import errors
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


TitleResponse = envelope("TitleResponse", Title)
PreRequestResponse = envelope("PreRequestResponse", PreRequest)


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
    status = found["status"]
    return call.answer(
        {
            "etat": status,
            "libelle": str(ApplicationStatus(status).label),
            "rendez_vous": [
                {"lieu": a.place_label, "date": timezone.localtime(a.starts_at)}
                for a in found["appointments"]
            ],
        }
    )
