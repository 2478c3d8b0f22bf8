import datetime

import factory
from django.utils import timezone

from titres.annuaire.enums import AnnouncementKind, Audience, EntryKind, EntrySource
from titres.annuaire.models import Announcement, DirectoryEntry


class AnnouncementFactory(factory.django.DjangoModelFactory):
    """A current information for everybody. States: `maintenance=True`
    (planned work tomorrow 20:00–23:00, announced since an hour ago),
    `future=True` (shown from tomorrow), `ended=True`, `withdrawn=True`."""

    class Meta:
        model = Announcement

    class Params:
        maintenance = factory.Trait(
            kind=AnnouncementKind.MAINTENANCE,
            title="Maintenance programmée",
            work_starts_at=factory.LazyFunction(
                lambda: (
                    timezone.now().replace(hour=20, minute=0, second=0, microsecond=0)
                    + datetime.timedelta(days=1)
                )
            ),
            work_ends_at=factory.LazyAttribute(
                lambda o: o.work_starts_at + datetime.timedelta(hours=3)
            ),
            ends_at=factory.SelfAttribute("work_ends_at"),
        )
        future = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
        )
        ended = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3)),
            ends_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )
        withdrawn = factory.Trait(withdrawn_at=factory.LazyFunction(timezone.now))

    kind = AnnouncementKind.INFORMATION
    audience = Audience.TOUS
    title = factory.Sequence(lambda n: f"Annonce {n}")
    body = "Les délais de fabrication des titres sont allongés cette semaine."
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))


class DirectoryEntryFactory(factory.django.DjangoModelFactory):
    """An imported photographer in Charleville-Mézières; give `latitude` and
    `longitude` to place it elsewhere."""

    class Meta:
        model = DirectoryEntry

    kind = EntryKind.PHOTOGRAPHE
    source = EntrySource.IMPORT
    source_key = factory.Sequence(lambda n: f"AGR-{n:05d}")
    name = factory.Sequence(lambda n: f"Studio {n}")
    address = "1 place Ducale"
    postal_code = "08000"
    commune = "Charleville-Mézières"
    insee_code = "08105"
    departement_code = "08"
    latitude = 49.7730
    longitude = 4.7193
    is_active = True
