from datetime import date, timedelta

import factory
from django.utils import timezone

from tests.accounts.factories import UserFactory
from titres.permis.enums import LicenceState, PhotographerKind
from titres.permis.identifiers import make_neph, new_ephoto_code
from titres.permis.models import (
    EPHOTO_VALIDITY,
    EPhoto,
    LicenceCategory,
    LicenceHolderLink,
    LicenceRecord,
    LicenceTitle,
    Photographer,
)


class LicenceRecordFactory(factory.django.DjangoModelFactory):
    """A valid licence; states: suspended=True, cancelled=True, invalidated=True."""

    class Meta:
        model = LicenceRecord

    class Params:
        suspended = factory.Trait(
            state=LicenceState.SUSPENDU,
            suspension_end=factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90)),
            points_balance=4,
        )
        cancelled = factory.Trait(state=LicenceState.ANNULE, points_balance=0)
        invalidated = factory.Trait(state=LicenceState.INVALIDE, points_balance=0)

    neph = factory.Sequence(lambda n: make_neph(year=1990, departement="54", sequence=100 + n))
    birth_name = "CORNEILLE"
    first_names = "Pierre"
    sex = "M"
    birth_date = date(1956, 1, 1)
    birth_commune = "Nancy"
    birth_departement = "54"
    state = LicenceState.VALIDE
    points_balance = 12


def holder_user(**kwargs):
    """The account of the factories' licence holder, Pierre CORNEILLE."""
    return UserFactory(
        **{
            "username": "pierre.corneille",
            "email": "pierre.corneille@example.fr",
            "first_name": "Pierre",
            "last_name": "Corneille",
            **kwargs,
        }
    )


class LicenceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LicenceCategory

    record = factory.SubFactory(LicenceRecordFactory)
    category = "B"
    obtained_on = date(1974, 6, 12)


class LicenceTitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LicenceTitle

    record = factory.SubFactory(LicenceRecordFactory)
    number = factory.Sequence(lambda n: f"17AA{n:05d}")
    issued_on = date(2017, 3, 8)


class LicenceHolderLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LicenceHolderLink

    user = factory.SubFactory(UserFactory)
    record = factory.SubFactory(LicenceRecordFactory)


class PhotographerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photographer

    kind = PhotographerKind.PHOTOGRAPHE
    approval_number = factory.Sequence(lambda n: f"PH-54-{n:04d}")
    name = factory.Sequence(lambda n: f"Studio {n}")
    address = "4 rue Saint-Dizier"
    postal_code = "54000"
    commune = "Nancy"
    departement_code = "54"


class EPhotoFactory(factory.django.DjangoModelFactory):
    """A valid code; states: expired=True, used=True."""

    class Meta:
        model = EPhoto

    class Params:
        expired = factory.Trait(
            created_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=200)),
            expires_at=factory.LazyAttribute(lambda o: o.created_at + EPHOTO_VALIDITY),
        )
        used = factory.Trait(used_at=factory.LazyFunction(timezone.now), used_reference="DEMANDE-1")

    photographer = factory.SubFactory(PhotographerFactory)
    code = factory.LazyFunction(new_ephoto_code)
