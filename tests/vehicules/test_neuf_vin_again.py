"""An annulled first registration (its file rejected or abandoned after
filing, both final: services/reverts.cancel_first_registration) keeps its
record and history, and its VIN may be registered again
(`vehicules_vin_unique_live`); a live registration still refuses it, and
lifting the annulment is refused once the VIN lives again (issue 18)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from titres.procedures.enums import Status
from titres.vehicules.enums import RegistryEventKind, SituationKind
from titres.vehicules.models import RegistryEntry, Situation, Vehicle
from titres.vehicules.neuf.models import NewRegistration
from titres.vehicules.services.registry import lift_situation

from .factories import VehicleFactory
from .journey import pay_taxes, step_url
from .neuf import COC, new_vehicle_until_payment, start_new_vehicle
from .pro import garage
from .test_certificat_reject import _reject

pytestmark = pytest.mark.django_db

VIN_REGISTERED = (
    "Ce numéro VIN est déjà inscrit au système d’immatriculation des véhicules : un véhicule "
    "neuf ne peut être immatriculé qu’une fois. Pour un véhicule d’occasion, faites une "
    "demande de changement de titulaire."
)
LIFT_REFUSED = (
    "Ce numéro VIN a été immatriculé à nouveau depuis l’annulation : l’inscription "
    "« Immatriculation annulée » ne peut pas être levée."
)


def _vin_errors(client):
    demarche = start_new_vehicle(client)
    response = client.post(step_url(demarche, "certificat-conformite"), COC)
    if response.status_code == 302:
        return []
    return response.context["form"].errors["vin"]


def _filed(client, capture):
    demarche = new_vehicle_until_payment(client)
    pay_taxes(client, demarche, capture)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    return demarche, NewRegistration.objects.get(demarche=demarche).vehicle


def test_an_annulled_registrations_vin_is_registered_again(
    client, django_capture_on_commit_callbacks
):
    garage(client)
    first, annulled = _filed(client, django_capture_on_commit_callbacks)
    assert annulled.annulled_at is None
    # While the first registration lives, its VIN is refused.
    assert _vin_errors(client) == [VIN_REGISTERED]

    _reject(first, django_capture_on_commit_callbacks, reason="conformite")
    annulled.refresh_from_db()
    assert first.status == Status.REJETEE and annulled.annulled_at is not None
    assert _vin_errors(client) == []

    second, vehicle = _filed(client, django_capture_on_commit_callbacks)
    assert vehicle.pk != annulled.pk and vehicle.vin == annulled.vin == COC["vin"]
    assert vehicle.plate != annulled.plate and vehicle.annulled_at is None
    # The annulled record keeps its number, its inscription and its history.
    annulled.refresh_from_db()
    assert annulled.annulled_at is not None
    assert Situation.objects.get(vehicle=annulled, lifted_on=None).kind == SituationKind.ANNULEE
    assert list(
        RegistryEntry.objects.filter(vehicle=annulled).order_by("pk").values_list("kind", flat=True)
    )[-2:] == [RegistryEventKind.IMMATRICULATION, RegistryEventKind.IMMATRICULATION_ANNULEE]
    # The new one lives: the VIN is refused again.
    assert _vin_errors(client) == [VIN_REGISTERED]

    # Lifting the annulment would make two live registrations of one VIN.
    situation = Situation.objects.get(vehicle=annulled, kind=SituationKind.ANNULEE)
    with pytest.raises(ValidationError) as refused:
        lift_situation(situation=situation, actor=None)
    assert refused.value.messages == [LIFT_REFUSED]
    situation.refresh_from_db()
    annulled.refresh_from_db()
    assert situation.lifted_on is None and annulled.annulled_at is not None
    assert not RegistryEntry.objects.filter(
        vehicle=annulled, kind=RegistryEventKind.SITUATION_LEVEE
    ).exists()


def test_lifting_an_annulment_makes_the_registration_live_again():
    from .test_situation import _annulled

    vehicle = _annulled(vin="VF1RJA00068123456")
    vehicle.refresh_from_db()
    assert vehicle.annulled_at is not None and not Vehicle.vin_registered(vehicle.vin)
    situation = Situation.objects.get(vehicle=vehicle, kind=SituationKind.ANNULEE)
    lift_situation(situation=situation, actor=None)
    vehicle.refresh_from_db()
    assert vehicle.annulled_at is None and Vehicle.vin_registered(vehicle.vin)


def test_the_database_allows_one_live_registration_per_vin():
    from .test_situation import _annulled

    annulled = _annulled(vin="VF1RJA00068123456")
    live = VehicleFactory(vin=annulled.vin)
    assert Vehicle.objects.filter(vin=live.vin).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        VehicleFactory(vin=annulled.vin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vehicle.objects.filter(pk=annulled.pk).update(annulled_at=None)


def test_the_migration_marks_the_registrations_annulled_before_it():
    import importlib

    from django.apps import apps

    from .test_situation import _annulled

    migration = importlib.import_module("titres.vehicules.migrations.0014_vin_unique_live")
    annulled = _annulled()
    live = VehicleFactory()
    Vehicle.objects.update(annulled_at=None)  # as before the migration
    migration.mark_annulled(apps, None)
    annulled.refresh_from_db()
    live.refresh_from_db()
    situation = Situation.objects.get(vehicle=annulled, kind=SituationKind.ANNULEE)
    assert annulled.annulled_at.date() == situation.registered_on
    assert live.annulled_at is None
