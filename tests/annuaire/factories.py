import datetime

import factory
from django.utils import timezone

from titres.annuaire.enums import AnnouncementKind, Audience
from titres.annuaire.models import Announcement


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
