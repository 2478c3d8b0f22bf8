import datetime

import factory
from django.utils import timezone

from tests.accounts.factories import UserFactory
from titres.accounts.enums import Profile
from titres.identite import numbers
from titres.identite.enums import ApplicationStatus, Motif, TitleKind
from titres.identite.models import (
    CollectionDevice,
    MeetingPoint,
    OpeningRule,
    PreDemande,
)


class MairieFactory(UserFactory):
    profile = Profile.MAIRIE
    organisation_name = factory.Sequence(lambda n: f"Mairie {n}")
    dr_count = 1


class MeetingPointFactory(factory.django.DjangoModelFactory):
    """A town hall in Lyon's area by default; `with_device=False` for none."""

    class Meta:
        model = MeetingPoint
        skip_postgeneration_save = True

    mairie = factory.SubFactory(MairieFactory)
    name = factory.Sequence(lambda n: f"Mairie n°{n}")
    address = "1 place de l’Hôtel de Ville"
    postal_code = "69001"
    city_name = "Lyon"
    insee_code = "69123"
    departement_code = "69"
    latitude = 45.7676
    longitude = 4.8344

    @factory.post_generation
    def device(self, create, extracted, **kwargs):
        # MeetingPointFactory(device=False) builds a point without device.
        if create and extracted is not False:
            CollectionDevice.objects.create(meeting_point=self, label="DR 1")


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionDevice

    meeting_point = factory.SubFactory(MeetingPointFactory)
    label = factory.Sequence(lambda n: f"DR {n + 10}")


def open_every_day(device, *, start="09:00", end="12:00", minutes=20, people=1, since=None):
    """Weekly openings Monday to Sunday (tests need slots whatever today is)."""
    since = since or (timezone.localdate() - datetime.timedelta(days=1))
    for weekday in range(7):
        OpeningRule.objects.create(
            device=device,
            weekday=weekday,
            start_time=datetime.time.fromisoformat(start),
            end_time=datetime.time.fromisoformat(end),
            slot_minutes=minutes,
            people_per_slot=people,
            valid_from=since,
        )


class PreDemandeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreDemande

    class Params:
        consumed = factory.Trait(status=ApplicationStatus.CONSUMED)
        declared = factory.Trait(status=ApplicationStatus.DECLARED)
        expired = factory.Trait(status=ApplicationStatus.EXPIRED)

    number = factory.LazyFunction(numbers.generate)
    title = TitleKind.PASSEPORT
    motif = Motif.PREMIERE
    status = ApplicationStatus.VALIDATED
    last_name = "MARTIN"
    first_names = factory.Sequence(lambda n: f"Camille{n}")
    birth_date = datetime.date(1990, 5, 17)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=180))
