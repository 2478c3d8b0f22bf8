"""What the CERT's decisions do, heard from the engine's `status_changed`
signal inside the transition's transaction (so the registry and the
status change commit together, or not at all):

- `valider`: the registry changes holder (titulaire, cotitulaire), an FNI
  vehicle gets a newly allotted SIV number, every vehicle a new numéro de
  formule; a vehicle blocked meanwhile (declared stolen…) refuses the
  validation with the reason;
- `rejeter` leaves the registry as it was (it is written only at
  validation) and withdraws what the submission gave (`withdraw_change`):
  the CPI, the taxes (refunded through the payment provider after commit,
  withdrawal.py as for the other vehicle procedures) and the code de
  cession, given back to the buyer until its normal expiry. A filed change
  the buyer abandons before an agent takes it (`procedure.on_abandoned`,
  the engine's abandon hook, same transaction) is withdrawn the same way."""

from __future__ import annotations

from datetime import date

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core.journal import record_event
from titres.procedures.enums import Status
from titres.procedures.workflow import TransitionRefused, status_changed

from ..audit import VehiculesEvent
from ..enums import HolderRole, PersonKind, PlateSystem
from ..models import ChangeOfHolder
from ..plates import display_form
from ..selectors import RegistryRefusal, situation_refusal
from ..services.cession import release_code
from ..services.registry import HolderData, change_holder
from ..withdrawal import cpi_and_refund_lines, notify_filer, refund_after_commit
from . import state
from .state import CODE


def holders_of(demarche) -> list[HolderData]:
    answers = state.holder_answers(demarche)
    address = {
        "address": " ".join(
            p for p in (answers.get("adresse", ""), answers.get("complement", "")) if p
        ),
        "postal_code": answers.get("code_postal", ""),
        "commune": answers.get("commune", ""),
    }
    company = state.company_client(demarche.answers or {})
    if company:
        return [
            HolderData(
                role=HolderRole.TITULAIRE,
                person_kind=PersonKind.MORALE,
                company_name=company["raison_sociale"],
                siret=company["siret"],
                **address,
            )
        ]
    holders = [
        HolderData(
            role=HolderRole.TITULAIRE,
            last_name=answers.get("nom_naissance", ""),
            usage_name=answers.get("nom_usage", ""),
            first_names=answers.get("prenoms", ""),
            birth_date=_day(answers.get("date_naissance")),
            **address,
        )
    ]
    if answers.get("cotitulaire_nom"):
        holders.append(
            HolderData(
                role=HolderRole.COTITULAIRE,
                last_name=answers["cotitulaire_nom"],
                first_names=answers.get("cotitulaire_prenoms", ""),
                birth_date=_day(answers.get("cotitulaire_date_naissance")),
                **address,
            )
        )
    return holders


def _day(value):
    return date.fromisoformat(value[:10]) if value else None


def register_change(demarche, *, actor) -> ChangeOfHolder:
    record = (
        ChangeOfHolder.objects.select_for_update().select_related("vehicle").get(demarche=demarche)
    )
    if record.registered_at is not None:
        return record
    blocking = record.vehicle.blocking_situations()
    if blocking:
        refusal: RegistryRefusal = situation_refusal(blocking[0])
        raise TransitionRefused(refusal.messages[0], code=refusal.code)
    result = change_holder(
        vehicle=record.vehicle,
        holders=holders_of(demarche),
        actor=actor,
        demarche_number=demarche.number,
        plate=record.new_plate,  # an FNI vehicle's number, allotted with its CPI
    )
    record.new_plate = result.new_plate
    record.new_formule = result.formule_number
    record.registered_at = timezone.now()
    record.save(update_fields=["new_plate", "new_formule", "registered_at"])
    return record


@receiver(status_changed, dispatch_uid="vehicules_changement_decisions")
def _on_status_changed(sender, demarche, change, event, **kwargs):
    if demarche.procedure_code != CODE:
        return
    if event == "valider":
        register_change(demarche, actor=change.actor)
    elif event == "rejeter":
        withdraw_change(demarche, actor=change.actor)


def withdraw_change(demarche, *, actor, request=None) -> ChangeOfHolder | None:
    """A filed change rejected or abandoned: the CPI withdrawn, the code de
    cession given back (services/cession.release_code), journaled; after
    commit the taxes refunded and the filer e-mailed. Once: a second call,
    a draft (nothing was given) or a change already in the registry does
    nothing."""
    record = (
        ChangeOfHolder.objects.select_for_update(of=("self", "vehicle"))
        .select_related("vehicle", "cession")
        .filter(demarche=demarche)
        .first()
    )
    if (
        record is None
        or demarche.submitted_at is None
        or record.withdrawn_at is not None
        or record.registered_at is not None
    ):
        return record
    abandoned = demarche.status == Status.ABANDONNEE
    record.withdrawn_at = timezone.now()
    record.code_released = record.cession is not None and release_code(
        declaration=record.cession,
        demarche_number=demarche.number,
        actor=actor,
        abandoned=abandoned,
        request=request,
    )
    record.save(update_fields=["withdrawn_at", "code_released"])
    record_event(
        VehiculesEvent.CHANGE_OF_HOLDER_WITHDRAWN,
        actor=actor,
        request=request,
        target=demarche,
        data={
            "motif": "abandonnee" if abandoned else "rejetee",
            "immatriculation": record.vehicle.plate,
            "cpi_retire": record.cpi_number,
            "code_cession_retabli": record.code_released,
        },
    )
    refund_after_commit(record, actor=actor)
    notify_filer(demarche, record, notices(demarche))
    return record


def notices(demarche) -> list[str]:
    """What the filer reads about a withdrawn change on its pages and in
    the e-mail: the registry unchanged, whether they can file again with
    the code, the CPI withdrawn, the taxes refunded."""
    record = state.record_of(demarche)
    if record is None or record.withdrawn_at is None:
        return []
    lines = [
        _(
            "Vous avez abandonné la demande : le changement de titulaire n’est pas inscrit au "
            "système d’immatriculation."
        )
        if demarche.status == Status.ABANDONNEE
        else _(
            "Votre demande a été rejetée : le changement de titulaire n’est pas inscrit au "
            "système d’immatriculation."
        )
    ]
    if record.new_plate and record.new_plate != record.old_plate:
        lines.append(
            _(
                "Le numéro %(new)s inscrit sur le certificat provisoire n’est pas attribué au "
                "véhicule, qui garde son immatriculation %(old)s."
            )
            % {
                "new": display_form(PlateSystem.SIV, record.new_plate),
                "old": record.vehicle.plate_display,
            }
        )
    lines.extend(_code_lines(record))
    return lines + cpi_and_refund_lines(record)


def _code_lines(record) -> list[str]:
    declaration = record.cession
    if declaration is None:
        return [
            _(
                "Vous pouvez déposer une nouvelle demande de changement de titulaire avec le "
                "numéro de formule ou la date du certificat d’immatriculation."
            )
        ]
    if record.code_released:
        return [
            _(
                "Le code de cession remis par le vendeur est de nouveau valable, jusqu’au "
                "%(date)s : vous pouvez déposer une nouvelle demande de changement de titulaire "
                "avec ce même code."
            )
            % {"date": timezone.localtime(declaration.expires_at).strftime("%d/%m/%Y")}
        ]
    if declaration.expires_at <= record.withdrawn_at:
        return [
            _(
                "Le code de cession remis par le vendeur a expiré le %(date)s : pour déposer une "
                "nouvelle demande, répondez « Non » à « Avez-vous un code de cession ? » et "
                "indiquez le numéro de formule ou la date du certificat d’immatriculation."
            )
            % {"date": timezone.localtime(declaration.expires_at).strftime("%d/%m/%Y")}
        ]
    return [
        _(
            "Le code de cession de cette demande n’est plus valable : le vendeur a enregistré "
            "une autre déclaration de cession. Déposez une nouvelle demande avec le code qu’il "
            "vous remettra, ou avec le numéro de formule ou la date du certificat "
            "d’immatriculation."
        )
    ]
