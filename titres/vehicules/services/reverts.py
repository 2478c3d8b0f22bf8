"""Undoing in the registry what an address change, a duplicate or a new
vehicle's registration wrote at submission, when the CERT rejects the file
or the filer abandons it (certificat/decisions.py, neuf/decisions.py).

Submission changed, for a duplicate (registry.issue_duplicate): a
`CancelledCertificate` row (the old card), the vehicle's formule number
and CI date, and for an FNI vehicle its plate (a newly allotted SIV
number); for an address change (registry.change_address): an
`AddressChange` row, every current holder's address, and on a fourth
change (or an FNI card) the same new certificate. Each write here puts
those values back exactly, keeps the rows (history) marked as undone, and
appends its own `RegistryEntry` and journal event. The allotted SIV
number stays consumed: the sequence never gives a number twice.

Nothing is undone when the vehicle's registry changed after the file
(another entry since, or a certificate that is no longer the one the file
made): putting the old values back would erase a later operation."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import plates
from ..enums import HolderRole, RegistryEventKind, SituationKind
from ..models import (
    AddressChange,
    CancelledCertificate,
    Holder,
    RegistryEntry,
    Situation,
    Vehicle,
)
from .registry import add_entry


def untouched_since(
    vehicle: Vehicle, *, kind: str, demarche_number: str, plate: str, formule: str
) -> bool:
    """The registry entry `demarche_number` wrote is still the vehicle's
    last one and the certificate is still the one it left."""
    last = RegistryEntry.objects.filter(vehicle=vehicle).order_by("-created_at", "-id").first()
    if last is None or last.kind != kind or last.demarche_number != demarche_number:
        return False
    return (vehicle.plate, vehicle.formule_number) == (plate, formule)


def _restore_certificate(vehicle: Vehicle, *, plate: str, formule: str, ci_date: date) -> None:
    parsed = plates.parse_plate(plate, allow_special=True)
    vehicle.plate = parsed.canonical
    vehicle.plate_system = parsed.system
    vehicle.formule_number = formule if parsed.is_siv else ""
    vehicle.ci_date = ci_date
    vehicle.save(update_fields=["plate", "plate_system", "formule_number", "ci_date", "updated_at"])


@transaction.atomic
def restore_cancelled_certificate(
    *,
    vehicle: Vehicle,
    demarche_number: str,
    actor,
    expected_plate: str,
    expected_formule: str,
    abandoned: bool = False,
    request=None,
) -> CancelledCertificate | None:
    """A rejected duplicate: the certificate it cancelled stands for the
    vehicle again (plate, formule number, CI date as they were). None when
    the registry changed since (nothing written)."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    cancelled = (
        CancelledCertificate.objects.select_for_update()
        .filter(vehicle=vehicle, demarche_number=demarche_number, restored_on__isnull=True)
        .order_by("-id")
        .first()
    )
    if cancelled is None or not untouched_since(
        vehicle,
        kind=RegistryEventKind.DUPLICATA,
        demarche_number=demarche_number,
        plate=expected_plate,
        formule=expected_formule,
    ):
        return None
    duplicate = {"plate": vehicle.plate, "formule": vehicle.formule_number}
    _restore_certificate(
        vehicle, plate=cancelled.plate, formule=cancelled.formule_number, ci_date=cancelled.ci_date
    )
    cancelled.restored_on = timezone.localdate()
    cancelled.save(update_fields=["restored_on"])
    old = cancelled.formule_number or plates.display_form(vehicle.plate_system, cancelled.plate)
    add_entry(
        vehicle,
        kind=RegistryEventKind.DUPLICATA_ANNULE,
        label=(
            _("Duplicata annulé (demande abandonnée) : certificat %(old)s rétabli")
            if abandoned
            else _("Duplicata annulé (demande rejetée) : certificat %(old)s rétabli")
        )
        % {"old": old},
        actor=actor,
        demarche_number=demarche_number,
        request=request,
        data={
            "numero_formule": cancelled.formule_number,
            "immatriculation_retablie": cancelled.plate,
            "numero_formule_annule": duplicate["formule"],
            "immatriculation_annulee": duplicate["plate"],
        },
    )
    return cancelled


@transaction.atomic
def revert_address_change(
    *,
    vehicle: Vehicle,
    demarche_number: str,
    actor,
    expected_plate: str,
    expected_formule: str,
    old_plate: str,
    old_formule: str,
    old_ci_date: date | None,
    abandoned: bool = False,
    request=None,
) -> AddressChange | None:
    """A rejected address change: every holder's address as it was, and
    the certificate it replaced (fourth change, FNI card) back. None when
    the registry changed since (nothing written)."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    change = (
        AddressChange.objects.select_for_update()
        .filter(vehicle=vehicle, demarche_number=demarche_number, reverted_on__isnull=True)
        .order_by("-id")
        .first()
    )
    if change is None or not untouched_since(
        vehicle,
        kind=RegistryEventKind.CHANGEMENT_ADRESSE,
        demarche_number=demarche_number,
        plate=expected_plate,
        formule=expected_formule,
    ):
        return None
    before = change.old_holder_addresses or {}
    holders = Holder.objects.filter(vehicle=vehicle, until__isnull=True)
    if before:
        holders = holders.filter(pk__in=[int(pk) for pk in before])
    else:  # a change recorded before each holder's address was kept
        holders = holders.filter(role__in=(HolderRole.TITULAIRE, HolderRole.COTITULAIRE))
    for holder in holders:
        address, postal_code, commune = before.get(
            str(holder.pk), [change.old_address, change.old_postal_code, change.old_commune]
        )
        if (holder.address, holder.postal_code, holder.commune) != (address, postal_code, commune):
            holder.address, holder.postal_code, holder.commune = address, postal_code, commune
            holder.save(update_fields=["address", "postal_code", "commune"])
    replaced = {"plate": vehicle.plate, "formule": vehicle.formule_number}
    if change.new_certificate and old_ci_date is not None:
        _restore_certificate(vehicle, plate=old_plate, formule=old_formule, ci_date=old_ci_date)
    change.reverted_on = timezone.localdate()
    change.save(update_fields=["reverted_on"])
    add_entry(
        vehicle,
        kind=RegistryEventKind.CHANGEMENT_ADRESSE_ANNULE,
        label=(
            _("Changement d’adresse annulé (demande abandonnée) : %(commune)s")
            if abandoned
            else _("Changement d’adresse annulé (demande rejetée) : %(commune)s")
        )
        % {"commune": change.old_commune},
        actor=actor,
        demarche_number=demarche_number,
        request=request,
        data={
            "adresse_retablie": f"{change.old_address}, {change.old_postal_code} {change.old_commune}",
            "adresse_annulee": f"{change.address}, {change.postal_code} {change.commune}",
            "etiquette_annulee": change.label_number,
            "certificat_retabli": change.new_certificate,
            "numero_formule": vehicle.formule_number,
            "numero_formule_annule": replaced["formule"] if change.new_certificate else "",
            "immatriculation_annulee": replaced["plate"] if change.new_certificate else "",
        },
    )
    return change


@transaction.atomic
def cancel_first_registration(
    *, vehicle: Vehicle, demarche_number: str, actor, abandoned: bool = False, request=None
) -> Situation | None:
    """A dealer's rejected (or abandoned) new vehicle: the registration annulled the way
    the registry does it, not by deleting the record (its VIN, number and
    history stay, the number never given again): an active « immatriculation
    annulée » inscription that stops every later operation, and its entry.
    None when the registry changed since the registration (nothing
    written)."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    if not untouched_since(
        vehicle,
        kind=RegistryEventKind.IMMATRICULATION,
        demarche_number=demarche_number,
        plate=vehicle.plate,
        formule=vehicle.formule_number,
    ):
        return None
    # Final: a rejected or abandoned file never reopens, so the VIN may be
    # registered again (vehicules_vin_unique_live); the record stays.
    vehicle.annulled_at = timezone.now()
    vehicle.save(update_fields=["annulled_at", "updated_at"])
    situation = Situation.objects.create(
        vehicle=vehicle,
        kind=SituationKind.ANNULEE,
        registered_on=timezone.localdate(),
        detail=(
            _("Demande %(number)s abandonnée") if abandoned else _("Demande %(number)s rejetée")
        )
        % {"number": demarche_number},
    )
    add_entry(
        vehicle,
        kind=RegistryEventKind.IMMATRICULATION_ANNULEE,
        label=(
            _("Immatriculation %(plate)s annulée (demande abandonnée)")
            if abandoned
            else _("Immatriculation %(plate)s annulée (demande rejetée)")
        )
        % {"plate": vehicle.plate_display},
        actor=actor,
        demarche_number=demarche_number,
        request=request,
        data={"immatriculation_annulee": vehicle.plate, "numero_formule": vehicle.formule_number},
    )
    return situation
