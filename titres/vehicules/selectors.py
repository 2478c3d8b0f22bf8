"""Reads of the registry reused by the seller's and buyer's screens: find a
vehicle from what the person typed and check that they hold its card
(numéro de formule for a SIV certificate, date of the CI for FNI)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.core.normalisation import normalise_name

from . import plates
from .enums import HolderRole, PersonKind, SituationKind
from .identifiers import normalise_formule
from .models import CancelledCertificate, Holder, Situation, Vehicle


class RegistryRefusal(ValidationError):
    """A refusal with the message to show; `field` names the form field it
    belongs to (None: the whole form)."""

    def __init__(self, message, *, code: str, field: str | None = None):
        super().__init__(message, code=code)
        self.field = field


def vehicles_with_registry():
    return Vehicle.objects.prefetch_related(
        Prefetch("holders", queryset=Holder.objects.order_by("role", "id")),
        Prefetch("situations", queryset=Situation.objects.order_by("registered_on", "id")),
    )


LOOKUP_LIMIT = "30/hour"


def count_lookup(user) -> None:
    """Registry lookups with a card's secrets (formule number, code de
    cession) are bounded per account: nobody guesses them by trying."""
    from titres.core import ratelimit

    if not ratelimit.hit("vehicules:recherche:compte", str(getattr(user, "pk", "")), LOOKUP_LIMIT):
        raise RegistryRefusal(
            _("Trop de recherches de véhicule depuis votre compte : réessayez dans une heure."),
            code="too_many_lookups",
        )


def find_vehicle(typed_plate: str) -> Vehicle:
    """The vehicle registered under what the person typed (validated).
    Raises RegistryRefusal (field "immatriculation")."""
    try:
        plate = plates.parse_plate(typed_plate)
    except ValidationError as error:
        raise RegistryRefusal(
            error.messages[0], code=error.code or "plate", field="immatriculation"
        )
    vehicle = vehicles_with_registry().filter(plate=plate.canonical).first()
    if vehicle is None:
        raise RegistryRefusal(
            _(
                "Aucun véhicule n’est immatriculé sous le numéro %(plate)s : vérifiez le numéro "
                "inscrit sur votre carte grise (champ A)."
            )
            % {"plate": typed_plate.strip()},
            code="plate_unknown",
            field="immatriculation",
        )
    return vehicle


def check_card(vehicle: Vehicle, *, formule_number: str = "", ci_date: date | None = None) -> None:
    """The holder of the card knows its numéro de formule (SIV) or the date
    of the certificate (FNI; SIV too when no formule is given)."""
    if vehicle.is_siv and formule_number:
        typed = normalise_formule(formule_number)
        # A card declared lost or stolen, replaced by a duplicate.
        if (
            typed != vehicle.formule_number
            and CancelledCertificate.objects.filter(vehicle=vehicle, formule_number=typed).exists()
        ):
            raise RegistryRefusal(
                _(
                    "Ce certificat d’immatriculation a été annulé : il ne vaut plus titre "
                    "de circulation. Demandez au titulaire la carte grise en cours de "
                    "validité."
                ),
                code="formule_cancelled",
                field="numero_formule",
            )
        if typed != vehicle.formule_number:
            raise RegistryRefusal(
                _(
                    "Le numéro de formule ne correspond pas au certificat d’immatriculation de "
                    "ce véhicule : recopiez-le tel qu’il est imprimé sur votre carte grise."
                ),
                code="formule_mismatch",
                field="numero_formule",
            )
        return
    if ci_date is None:
        raise RegistryRefusal(
            _("Indiquez le numéro de formule (immatriculation SIV) ou la date du CI."),
            code="card_missing",
            field="numero_formule" if vehicle.is_siv else "date_ci",
        )
    if ci_date != vehicle.ci_date:
        raise RegistryRefusal(
            _(
                "La date du certificat d’immatriculation (CI) ne correspond pas à celle de ce "
                "véhicule : reportez la date inscrite sur votre carte grise."
            ),
            code="ci_date_mismatch",
            field="date_ci",
        )


def check_typed_card(vehicle: Vehicle, *, formule_number: str = "", ci_date: date | None = None):
    """What a person typed about their card (the screens' "numéro de
    formule, or date du CI" pair): the missing half named for the
    vehicle's system, then `check_card`."""
    if vehicle.is_siv and not formule_number and not ci_date:
        raise RegistryRefusal(
            _("Indiquez le numéro de formule de la carte grise (immatriculation SIV)."),
            code="formule_missing",
            field="numero_formule",
        )
    if not vehicle.is_siv and not ci_date:
        raise RegistryRefusal(
            _("Indiquez la date du CI (immatriculation FNI)."),
            code="ci_missing",
            field="date_ci",
        )
    check_card(vehicle, formule_number=formule_number, ci_date=ci_date)


def vehicle_of_typed_card(data: dict) -> Vehicle:
    """The vehicle of the plate a form was given (`immatriculation`), once
    the card typed with it (`numero_formule` or `date_ci`) matches."""
    vehicle = find_vehicle(data["immatriculation"])
    check_typed_card(
        vehicle, formule_number=data.get("numero_formule") or "", ci_date=data.get("date_ci")
    )
    return vehicle


# Lazy: translated when a refusal is raised, in that request's language.
SITUATION_REFUSALS = {
    SituationKind.GAGE: gettext_lazy(
        "Ce véhicule est gagé : le changement de titulaire n’est pas possible tant que le gage "
        "n’est pas levé. Demandez au vendeur de faire lever le gage par l’organisme de crédit "
        "(créancier : %(detail)s), puis recommencez la démarche."
    ),
    SituationKind.OPPOSITION: gettext_lazy(
        "Une opposition au transfert du certificat d’immatriculation (OTCI) est inscrite sur ce "
        "véhicule : le changement de titulaire est impossible tant qu’elle n’est pas levée. "
        "Le vendeur doit s’adresser à l’autorité qui l’a inscrite (%(detail)s)."
    ),
    SituationKind.VOL: gettext_lazy(
        "Ce véhicule est déclaré volé : la démarche ne peut pas continuer. Ne versez pas "
        "d’argent et signalez-le au commissariat de police ou à la brigade de gendarmerie."
    ),
    SituationKind.VGE: gettext_lazy(
        "Ce véhicule est inscrit comme gravement endommagé (VGE) : il ne peut pas changer de "
        "titulaire avant d’avoir été réparé et contrôlé par un expert automobile, qui lève "
        "l’inscription."
    ),
    SituationKind.SUSPENSION: gettext_lazy(
        "Le certificat d’immatriculation de ce véhicule est suspendu : le changement de "
        "titulaire est impossible. Le titulaire doit s’adresser à la préfecture."
    ),
    SituationKind.ANNULEE: gettext_lazy(
        "L’immatriculation de ce véhicule a été annulée : la démarche ne peut pas continuer."
    ),
}


def situation_refusal(situation: Situation) -> RegistryRefusal:
    message = str(SITUATION_REFUSALS[situation.kind])
    detail = situation.detail or _("non précisé")
    return RegistryRefusal(
        message % {"detail": detail} if "%(detail)s" in message else message,
        code=f"situation_{situation.kind}",
        field=None,
    )


def person_matches(
    holder_last_name: str, holder_first_names: str, last_name: str, first_names: str
) -> bool:
    """Same person, as people write names: accents, case and hyphens do not
    matter; the first given name must match (others may be left out)."""
    if normalise_name(holder_last_name) != normalise_name(last_name):
        return False
    wanted = normalise_name((first_names or "").split(",")[0].split(" ")[0])
    given = normalise_name(holder_first_names).replace(",", " ").split(" ")
    return bool(wanted) and wanted in given


def holder_matching(vehicle: Vehicle, *, last_name: str, first_names: str, siret: str = ""):
    """The current titulaire or cotitulaire who is this person (or company)."""
    for holder in vehicle.current_holders():
        if holder.role not in (HolderRole.TITULAIRE, HolderRole.COTITULAIRE):
            continue
        if holder.person_kind == PersonKind.MORALE:
            if siret and holder.siret == siret:
                return holder
            continue
        names = [holder.last_name] + ([holder.usage_name] if holder.usage_name else [])
        if any(person_matches(name, holder.first_names, last_name, first_names) for name in names):
            return holder
    return None


def mask(value: str, keep: int = 1) -> str:
    """ "DUPONT" → "D*****": what the buyer sees of the former holder."""
    words = []
    for word in (value or "").split(" "):
        words.append(word[:keep] + "*" * max(len(word) - keep, 0) if word else word)
    return " ".join(words)
