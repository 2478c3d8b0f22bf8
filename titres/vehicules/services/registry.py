"""Writes to the SIV registry. Each one is atomic, takes the acting user,
appends a `RegistryEntry` to the vehicle's history and one audit-journal
event."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core.journal import record_event
from titres.core.normalisation import normalise_first_names, normalise_name
from titres.vehicules.audit import VehiculesEvent

from .. import plates
from ..allotment import allot_plate
from ..enums import (
    ADDRESS_LABELS_PER_CERTIFICATE,
    DuplicateReason,
    HolderRole,
    PersonKind,
    PlateSystem,
    RegistryEventKind,
    SituationKind,
)
from ..models import (
    AddressChange,
    CancelledCertificate,
    Holder,
    RegistryEntry,
    Situation,
    Vehicle,
)

FORMULE_LETTERS = plates.SIV_LETTERS


@dataclass(frozen=True, kw_only=True)
class HolderData:
    role: str = HolderRole.TITULAIRE
    person_kind: str = PersonKind.PHYSIQUE
    last_name: str = ""
    usage_name: str = ""
    first_names: str = ""
    birth_date: date | None = None
    company_name: str = ""
    siret: str = ""
    address: str = ""
    postal_code: str = ""
    commune: str = ""
    lease_kind: str = ""

    def as_json(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if v not in ("", None)}
        if self.birth_date:
            data["birth_date"] = self.birth_date.isoformat()
        return data


@dataclass(frozen=True, kw_only=True)
class VehicleData:
    plate: str
    vin: str
    ci_date: date
    first_registration_date: date
    category: str
    make: str
    commercial_name: str
    energy: str
    fiscal_power: int
    formule_number: str = ""
    vehicle_type: str = ""
    co2: int | None = None
    gross_weight_kg: int | None = None
    seats: int | None = None
    holders: list[HolderData] = field(default_factory=list)


# The journal code of each kind of registry change (never built at run time).
REGISTRY_EVENTS = {
    RegistryEventKind.IMMATRICULATION: VehiculesEvent.IMMATRICULATION_RECORDED,
    RegistryEventKind.SITUATION_INSCRITE: VehiculesEvent.SITUATION_REGISTERED,
    RegistryEventKind.SITUATION_LEVEE: VehiculesEvent.SITUATION_LIFTED,
    RegistryEventKind.CESSION: VehiculesEvent.CESSION_DECLARED,
    RegistryEventKind.CESSION_ANNULEE: VehiculesEvent.CESSION_CANCELLED,
    RegistryEventKind.ACHAT_PROFESSIONNEL: VehiculesEvent.PURCHASE_DECLARED,
    RegistryEventKind.CHANGEMENT_TITULAIRE: VehiculesEvent.TITULAIRE_CHANGED,
    RegistryEventKind.CORRECTION: VehiculesEvent.RECORD_CORRECTED,
    RegistryEventKind.CHANGEMENT_ADRESSE: VehiculesEvent.ADDRESS_CHANGED,
    RegistryEventKind.DUPLICATA: VehiculesEvent.DUPLICATE_ISSUED,
    RegistryEventKind.CHANGEMENT_ADRESSE_ANNULE: VehiculesEvent.ADDRESS_CHANGE_REVERTED,
    RegistryEventKind.DUPLICATA_ANNULE: VehiculesEvent.DUPLICATE_REVERTED,
    RegistryEventKind.IMMATRICULATION_ANNULEE: VehiculesEvent.IMMATRICULATION_CANCELLED,
}


def add_entry(
    vehicle: Vehicle,
    *,
    kind: str,
    label: str,
    actor,
    data: dict | None = None,
    demarche_number: str = "",
    request=None,
) -> RegistryEntry:
    """History row + journal event of one registry change (inside the
    caller's transaction)."""
    entry = RegistryEntry.objects.create(
        vehicle=vehicle,
        kind=kind,
        label=label[:300],
        data=data or {},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        demarche_number=demarche_number,
    )
    record_event(
        REGISTRY_EVENTS[kind],
        actor=actor,
        request=request,
        target=vehicle,
        data={"immatriculation": vehicle.plate, "demarche": demarche_number, **(data or {})},
    )
    return entry


def new_formule_number(on: date | None = None) -> str:
    """A fresh numéro de formule: year, two letters, five digits
    (2026AB12345), not used by any vehicle."""
    year = (on or timezone.localdate()).year
    while True:
        candidate = (
            f"{year}"
            f"{secrets.choice(FORMULE_LETTERS)}{secrets.choice(FORMULE_LETTERS)}"
            f"{secrets.randbelow(100_000):05d}"
        )
        if not Vehicle.objects.filter(formule_number=candidate).exists():
            return candidate


def _create_holders(vehicle: Vehicle, holders: list[HolderData], since: date) -> list[Holder]:
    return [
        Holder.objects.create(
            vehicle=vehicle,
            since=since,
            **asdict(holder),
        )
        for holder in holders
    ]


@transaction.atomic
def register_vehicle(
    *, data: VehicleData, actor, request=None, demarche_number: str = ""
) -> Vehicle:
    """Enter a vehicle in the registry with its holders (imports, demo
    data, administration, a dealer's new vehicle: `demarche_number`)."""
    plate = plates.parse_plate(data.plate, allow_special=True)
    vehicle = Vehicle(
        plate=plate.canonical,
        plate_system=plate.system,
        vin=data.vin.upper(),
        formule_number=data.formule_number if plate.is_siv else "",
        ci_date=data.ci_date,
        first_registration_date=data.first_registration_date,
        category=data.category,
        make=data.make,
        vehicle_type=data.vehicle_type,
        commercial_name=data.commercial_name,
        energy=data.energy,
        fiscal_power=data.fiscal_power,
        co2=data.co2,
        gross_weight_kg=data.gross_weight_kg,
        seats=data.seats,
    )
    vehicle.full_clean()
    vehicle.save()
    _create_holders(vehicle, data.holders, data.ci_date)
    add_entry(
        vehicle,
        kind=RegistryEventKind.IMMATRICULATION,
        label=_("Immatriculation %(plate)s") % {"plate": vehicle.plate_display},
        actor=actor,
        request=request,
        data={"titulaires": [h.as_json() for h in data.holders]},
        demarche_number=demarche_number,
    )
    return vehicle


@transaction.atomic
def add_situation(
    *, vehicle: Vehicle, kind: str, actor, detail: str = "", on: date | None = None, request=None
) -> Situation:
    situation = Situation.objects.create(
        vehicle=vehicle, kind=kind, detail=detail, registered_on=on or timezone.localdate()
    )
    add_entry(
        vehicle,
        kind=RegistryEventKind.SITUATION_INSCRITE,
        label=_("Inscription : %(kind)s") % {"kind": situation.get_kind_display()},
        actor=actor,
        request=request,
        data={"inscription": kind, "precision": detail},
    )
    return situation


@transaction.atomic
def lift_situation(
    *, situation: Situation, actor, on: date | None = None, request=None
) -> Situation:
    situation = Situation.objects.select_for_update().get(pk=situation.pk)
    if situation.lifted_on is not None:
        return situation
    if situation.kind == SituationKind.ANNULEE:
        _revive_annulled(situation.vehicle_id)
    situation.lifted_on = on or timezone.localdate()
    situation.save(update_fields=["lifted_on"])
    add_entry(
        situation.vehicle,
        kind=RegistryEventKind.SITUATION_LEVEE,
        label=_("Levée : %(kind)s") % {"kind": situation.get_kind_display()},
        actor=actor,
        request=request,
        data={"inscription": situation.kind},
    )
    return situation


def _revive_annulled(vehicle_id) -> None:
    """Lifting « immatriculation annulée » makes the registration live again:
    refused once its VIN was registered again (vehicules_vin_unique_live)."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle_id)
    if vehicle.annulled_at is None:
        return
    if Vehicle.vin_registered(vehicle.vin, exclude_pk=vehicle.pk):
        raise ValidationError(
            _(
                "Ce numéro VIN a été immatriculé à nouveau depuis l’annulation : l’inscription "
                "« Immatriculation annulée » ne peut pas être levée."
            ),
            code="vin_registered_again",
        )
    vehicle.annulled_at = None
    vehicle.save(update_fields=["annulled_at", "updated_at"])


@dataclass(frozen=True)
class HolderChange:
    vehicle: Vehicle
    old_plate: str
    new_plate: str
    formule_number: str

    @property
    def plate_changed(self) -> bool:
        return self.old_plate != self.new_plate


@transaction.atomic
def change_holder(
    *,
    vehicle: Vehicle,
    holders: list[HolderData],
    actor,
    demarche_number: str = "",
    on: date | None = None,
    request=None,
    plate: str = "",
) -> HolderChange:
    """The registry part of a validated change of holder, all or nothing:
    the current holders are closed and the new ones opened, an FNI vehicle
    gets a SIV number (`plate`, allotted when its CPI was issued, else a
    newly allotted one), every vehicle a new numéro de formule and
    certificate date; the "cédé" entry is lifted."""
    if not any(h.role == HolderRole.TITULAIRE for h in holders):
        raise ValueError("a change of holder needs a titulaire")
    on = on or timezone.localdate()
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    old_plate = vehicle.plate
    Holder.objects.filter(vehicle=vehicle, until__isnull=True).update(until=on)
    _create_holders(vehicle, holders, on)
    if vehicle.plate_system == PlateSystem.FNI:
        vehicle.plate = plate or allot_plate()
        vehicle.plate_system = PlateSystem.SIV
    vehicle.formule_number = new_formule_number(on)
    vehicle.ci_date = on
    vehicle.save(update_fields=["plate", "plate_system", "formule_number", "ci_date", "updated_at"])
    Situation.objects.filter(
        vehicle=vehicle, kind=SituationKind.CEDE, lifted_on__isnull=True
    ).update(lifted_on=on)
    add_entry(
        vehicle,
        kind=RegistryEventKind.CHANGEMENT_TITULAIRE,
        label=_("Changement de titulaire : %(name)s") % {"name": _holder_label(holders[0])},
        actor=actor,
        request=request,
        demarche_number=demarche_number,
        data={
            "ancienne_immatriculation": old_plate,
            "immatriculation": vehicle.plate,
            "numero_formule": vehicle.formule_number,
            "titulaires": [h.as_json() for h in holders],
        },
    )
    return HolderChange(vehicle, old_plate, vehicle.plate, vehicle.formule_number)


def _holder_label(holder: HolderData) -> str:
    if holder.person_kind == PersonKind.MORALE:
        return holder.company_name
    return f"{(holder.usage_name or holder.last_name).upper()} {holder.first_names}".strip()


@transaction.atomic
def bulk_import(*, vehicles: list, actor, source: str, request=None) -> int:
    """Enter many vehicles at once (generated crowd, benchmark, a file
    import): `vehicles` are generator.GeneratedVehicle (data + situations).
    Each vehicle gets its history row; the import is one journal event."""
    on = timezone.localdate()
    rows = []
    for generated in vehicles:
        data = generated.data
        plate = plates.parse_plate(data.plate, allow_special=True)
        rows.append(
            Vehicle(
                plate=plate.canonical,
                plate_system=plate.system,
                vin=data.vin,
                formule_number=data.formule_number if plate.is_siv else "",
                ci_date=data.ci_date,
                first_registration_date=data.first_registration_date,
                category=data.category,
                make=data.make,
                vehicle_type=data.vehicle_type,
                commercial_name=data.commercial_name,
                energy=data.energy,
                fiscal_power=data.fiscal_power,
                co2=data.co2,
                gross_weight_kg=data.gross_weight_kg,
                seats=data.seats,
            )
        )
    created = Vehicle.objects.bulk_create(rows, batch_size=1000)
    if created and created[0].pk is None:  # backends without RETURNING
        by_plate = dict(
            Vehicle.objects.filter(plate__in=[v.plate for v in rows]).values_list("plate", "pk")
        )
        for vehicle in created:
            vehicle.pk = by_plate[vehicle.plate]
    holders, situations, entries = [], [], []
    for vehicle, generated in zip(created, vehicles, strict=True):
        for holder in generated.data.holders:
            holders.append(Holder(vehicle=vehicle, since=generated.data.ci_date, **asdict(holder)))
        for kind, detail in generated.situations:
            situations.append(
                Situation(
                    vehicle=vehicle, kind=kind, detail=detail, registered_on=generated.data.ci_date
                )
            )
        entries.append(
            RegistryEntry(
                vehicle=vehicle,
                kind=RegistryEventKind.IMMATRICULATION,
                label=_("Immatriculation %(plate)s (import : %(source)s)")
                % {"plate": vehicle.plate_display, "source": source},
                data={"import": source},
            )
        )
    for holder in holders:  # bulk_create skips save(): fill the search columns
        holder.last_name_normalised = normalise_name(holder.usage_name or holder.last_name)
        holder.first_names_normalised = normalise_first_names(holder.first_names)
    Holder.objects.bulk_create(holders, batch_size=1000)
    Situation.objects.bulk_create(situations, batch_size=1000)
    RegistryEntry.objects.bulk_create(entries, batch_size=1000)
    record_event(
        VehiculesEvent.REGISTRY_IMPORTED,
        actor=actor,
        request=request,
        object_type=Vehicle._meta.label_lower,
        data={"source": source, "vehicules": len(created), "date": on.isoformat()},
    )
    return len(created)


def next_address_label(vehicle: Vehicle) -> int | None:
    """What an address change of `vehicle` brings today: the number (1 to
    3) of the label sent for its SIV certificate, or None when a new
    certificate is due (the fourth change, or an FNI certificate, which
    has no labels: the vehicle then moves to the SIV)."""
    if not vehicle.is_siv or not vehicle.formule_number:
        return None
    used = AddressChange.objects.filter(
        vehicle=vehicle,
        formule_number=vehicle.formule_number,
        label_number__isnull=False,
        reverted_on__isnull=True,  # a rejected change's label was never sent
    ).count()
    return used + 1 if used < ADDRESS_LABELS_PER_CERTIFICATE else None


def _new_certificate(vehicle: Vehicle, on: date) -> None:
    """A new certificate for the vehicle: an FNI number gives way to a
    newly allotted SIV number; a new numéro de formule and date (I)."""
    if vehicle.plate_system == PlateSystem.FNI:
        vehicle.plate = allot_plate()
        vehicle.plate_system = PlateSystem.SIV
    vehicle.formule_number = new_formule_number(on)
    vehicle.ci_date = on
    vehicle.save(update_fields=["plate", "plate_system", "formule_number", "ci_date", "updated_at"])


@transaction.atomic
def change_address(
    *,
    vehicle: Vehicle,
    address: str,
    postal_code: str,
    commune: str,
    actor,
    demarche_number: str = "",
    on: date | None = None,
    request=None,
) -> AddressChange:
    """The holders' new address in the registry (titulaire and
    cotitulaires), the old one kept in the change's row; a label for the
    first three changes on a SIV certificate, else a new certificate."""
    on = on or timezone.localdate()
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    holders = list(
        Holder.objects.filter(
            vehicle=vehicle,
            until__isnull=True,
            role__in=(HolderRole.TITULAIRE, HolderRole.COTITULAIRE),
        ).order_by("role", "id")
    )
    titulaire = next((h for h in holders if h.role == HolderRole.TITULAIRE), None)
    if titulaire is None:
        raise ValueError("an address change needs a current titulaire")
    label = next_address_label(vehicle)
    change = AddressChange.objects.create(
        vehicle=vehicle,
        changed_on=on,
        formule_number=vehicle.formule_number,
        label_number=label,
        new_certificate=label is None,
        old_address=titulaire.address,
        old_postal_code=titulaire.postal_code,
        old_commune=titulaire.commune,
        address=address,
        postal_code=postal_code,
        commune=commune,
        demarche_number=demarche_number,
        old_holder_addresses={str(h.pk): [h.address, h.postal_code, h.commune] for h in holders},
    )
    Holder.objects.filter(pk__in=[h.pk for h in holders]).update(
        address=address, postal_code=postal_code, commune=commune
    )
    old_plate = vehicle.plate
    if label is None:
        _new_certificate(vehicle, on)
    add_entry(
        vehicle,
        kind=RegistryEventKind.CHANGEMENT_ADRESSE,
        label=(
            _("Changement d’adresse : %(commune)s (étiquette n° %(n)s)")
            % {"commune": commune, "n": label}
            if label
            else _("Changement d’adresse : %(commune)s (nouveau certificat)") % {"commune": commune}
        ),
        actor=actor,
        request=request,
        demarche_number=demarche_number,
        data={
            "ancienne_adresse": f"{change.old_address}, {change.old_postal_code} {change.old_commune}",
            "nouvelle_adresse": f"{address}, {postal_code} {commune}",
            "etiquette": label,
            "nouveau_certificat": label is None,
            "ancienne_immatriculation": old_plate,
            "numero_formule": vehicle.formule_number,
        },
    )
    return change


@transaction.atomic
def issue_duplicate(
    *,
    vehicle: Vehicle,
    reason: str,
    police_report_number: str = "",
    actor,
    demarche_number: str = "",
    on: date | None = None,
    request=None,
) -> CancelledCertificate:
    """A duplicate of the registration certificate: the current one is
    cancelled (kept in CancelledCertificate: it no longer stands for the
    vehicle), a new one is made (new numéro de formule and date; an FNI
    vehicle gets a SIV number)."""
    if reason == DuplicateReason.VOL and not police_report_number:
        raise ValueError("a stolen certificate needs the police report number")
    on = on or timezone.localdate()
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    cancelled = CancelledCertificate.objects.create(
        vehicle=vehicle,
        formule_number=vehicle.formule_number,
        plate=vehicle.plate,
        ci_date=vehicle.ci_date,
        reason=reason,
        police_report_number=police_report_number,
        cancelled_on=on,
        demarche_number=demarche_number,
    )
    _new_certificate(vehicle, on)
    add_entry(
        vehicle,
        kind=RegistryEventKind.DUPLICATA,
        label=_("Duplicata (%(reason)s) : certificat %(old)s annulé")
        % {
            "reason": cancelled.get_reason_display().lower(),
            "old": cancelled.formule_number or cancelled.plate,
        },
        actor=actor,
        request=request,
        demarche_number=demarche_number,
        data={
            "motif": reason,
            "recepisse_plainte": police_report_number,
            "ancien_numero_formule": cancelled.formule_number,
            "ancienne_immatriculation": cancelled.plate,
            "numero_formule": vehicle.formule_number,
        },
    )
    return cancelled
