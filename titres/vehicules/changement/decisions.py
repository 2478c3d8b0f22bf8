"""What the CERT's decisions do, heard from the engine's `status_changed`
signal inside the transition's transaction (so the registry and the
status change commit together, or not at all):

- `valider`: the registry changes holder (titulaire, cotitulaire), an FNI
  vehicle gets a newly allotted SIV number, every vehicle a new numéro de
  formule; a vehicle blocked meanwhile (declared stolen…) refuses the
  validation with the reason;
- `rejeter` leaves the registry as it was (the code de cession stays
  spent: the seller declares the sale again if needed) and refunds the
  taxes through the payment provider after commit; the ledger records the
  refund (`frais_rembourse`)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from titres.procedures.workflow import TransitionRefused, status_changed

from ..enums import HolderRole, PersonKind
from ..models import ChangeOfHolder
from ..selectors import RegistryRefusal, situation_refusal
from ..services.registry import HolderData, change_holder
from . import state
from .payment import refund_taxes
from .procedure import CODE


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


@receiver(status_changed)
def _on_status_changed(sender, demarche, change, event, **kwargs):
    if demarche.procedure_code != CODE:
        return
    if event == "valider":
        register_change(demarche, actor=change.actor)
    elif event == "rejeter":
        record = ChangeOfHolder.objects.filter(demarche=demarche).first()
        if record is not None and record.paid_at and not record.refunded_at:
            actor = change.actor
            transaction.on_commit(
                lambda: refund_taxes(model=ChangeOfHolder, record_id=record.pk, actor=actor)
            )
