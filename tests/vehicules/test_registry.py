from datetime import date

import pytest

from titres.core.models import AuditEvent
from titres.vehicules.enums import HolderRole, PlateSystem, SituationKind
from titres.vehicules.identifiers import FORMULE_RE
from titres.vehicules.models import RegistryEntry
from titres.vehicules.services.registry import (
    HolderData,
    add_situation,
    change_holder,
    lift_situation,
)

from .factories import VehicleFactory, declared

pytestmark = pytest.mark.django_db

NEW = HolderData(
    role=HolderRole.TITULAIRE,
    last_name="MERCIER",
    first_names="Pierre",
    postal_code="69002",
    commune="Lyon",
)


def test_change_of_holder_of_a_siv_vehicle_keeps_the_plate_and_gets_a_new_formule():
    vehicle = VehicleFactory()
    declared(vehicle)
    old_formule = vehicle.formule_number
    change = change_holder(
        vehicle=vehicle, holders=[NEW], actor=None, demarche_number="N1", on=date(2026, 6, 1)
    )
    vehicle.refresh_from_db()
    assert not change.plate_changed and vehicle.plate == change.old_plate
    assert vehicle.formule_number != old_formule and FORMULE_RE.match(vehicle.formule_number)
    assert vehicle.formule_number.startswith("2026")
    assert vehicle.ci_date == date(2026, 6, 1)
    assert vehicle.titulaire.last_name == "MERCIER"
    old = vehicle.holders.get(last_name="MOREAU")
    assert old.until == date(2026, 6, 1)
    assert not vehicle.situations.filter(kind=SituationKind.CEDE, lifted_on__isnull=True).exists()
    entry = RegistryEntry.objects.get(vehicle=vehicle, kind="changement_titulaire")
    assert entry.demarche_number == "N1"
    assert AuditEvent.objects.filter(event="vehicules.titulaire_changed").count() == 1


def test_fni_vehicle_gets_a_newly_allotted_siv_number():
    vehicle = VehicleFactory(fni=True)
    change = change_holder(vehicle=vehicle, holders=[NEW], actor=None)
    vehicle.refresh_from_db()
    assert change.plate_changed
    assert vehicle.plate == "AA001AA" and vehicle.plate_system == PlateSystem.SIV
    assert vehicle.plate_display == "AA-001-AA"
    assert FORMULE_RE.match(vehicle.formule_number)


def test_a_change_needs_a_titulaire():
    with pytest.raises(ValueError):
        change_holder(vehicle=VehicleFactory(), holders=[], actor=None)


def test_situations_are_journaled_and_lifted():
    vehicle = VehicleFactory()
    situation = add_situation(vehicle=vehicle, kind=SituationKind.GAGE, detail="DIAC", actor=None)
    assert vehicle.blocking_situations() == [situation]
    lift_situation(situation=situation, actor=None)
    lift_situation(situation=situation, actor=None)  # already lifted: no-op
    vehicle.refresh_from_db()
    assert vehicle.blocking_situations() == []
    assert list(RegistryEntry.objects.filter(vehicle=vehicle).values_list("kind", flat=True)) == [
        "situation_inscrite",
        "situation_levee",
    ]
