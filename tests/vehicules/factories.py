from datetime import date, datetime, time, timedelta

import factory
from django.utils import timezone

from tests.accounts.factories import UserFactory
from titres.vehicules.enums import (
    Category,
    Energy,
    HolderRole,
    PersonKind,
    PlateSystem,
    SituationKind,
)
from titres.vehicules.models import Holder, Situation, Vehicle
from titres.vehicules.services.cession import Buyer, declare_cession

_VIN_BODY = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def _vin(n: int) -> str:
    digits = f"{n:06d}"
    return f"VF1RJA000{_VIN_BODY[n % 33]}{_VIN_BODY[(n // 33) % 33]}{digits}"


def _siv_plate(n: int) -> str:
    letters = "ABCDEFGHJKLMNPQRSTVXYZ"
    return f"B{letters[n % 22]}{(n % 999) + 1:03d}C{letters[(n // 22) % 22]}"


class VehicleFactory(factory.django.DjangoModelFactory):
    """A SIV Renault Clio (5 CV, petrol, 2019) held by Jeanne MOREAU (Nancy).

    States: `fni=True` (FNI number 1234 AB 54, registered 2005, no formule),
    `utility=True` (Kangoo camionnette, 2.25 t), `gage=True`,
    `opposition=True`, `vol=True`, `vge=True` (active inscriptions),
    `holder=False` (no holder rows)."""

    class Meta:
        model = Vehicle
        skip_postgeneration_save = True

    class Params:
        fni = factory.Trait(
            plate=factory.Sequence(lambda n: f"{1000 + n}AB54"),
            plate_system=PlateSystem.FNI,
            formule_number="",
            first_registration_date=date(2005, 3, 18),
            ci_date=date(2005, 3, 18),
        )
        utility = factory.Trait(
            category=Category.CTTE,
            make="RENAULT",
            commercial_name="KANGOO",
            energy=Energy.GO,
            fiscal_power=6,
            gross_weight_kg=2250,
        )

    plate = factory.Sequence(_siv_plate)
    plate_system = PlateSystem.SIV
    vin = factory.Sequence(_vin)
    formule_number = factory.Sequence(lambda n: f"2019AB{n:05d}")
    ci_date = date(2019, 6, 12)
    first_registration_date = date(2019, 6, 12)
    category = Category.VP
    make = "RENAULT"
    commercial_name = "CLIO"
    energy = Energy.ES
    fiscal_power = 5
    co2 = 118
    gross_weight_kg = 1588

    @factory.post_generation
    def holder(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            HolderFactory(vehicle=obj, since=obj.ci_date)

    @factory.post_generation
    def gage(obj, create, extracted, **kwargs):
        if create and extracted:
            Situation.objects.create(
                vehicle=obj, kind=SituationKind.GAGE, registered_on=obj.ci_date, detail="DIAC"
            )

    @factory.post_generation
    def opposition(obj, create, extracted, **kwargs):
        if create and extracted:
            Situation.objects.create(
                vehicle=obj,
                kind=SituationKind.OPPOSITION,
                registered_on=obj.ci_date,
                detail="Trésor public",
            )

    @factory.post_generation
    def vol(obj, create, extracted, **kwargs):
        if create and extracted:
            Situation.objects.create(vehicle=obj, kind=SituationKind.VOL, registered_on=obj.ci_date)

    @factory.post_generation
    def vge(obj, create, extracted, **kwargs):
        if create and extracted:
            Situation.objects.create(vehicle=obj, kind=SituationKind.VGE, registered_on=obj.ci_date)


class HolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holder

    vehicle = factory.SubFactory(VehicleFactory, holder=False)
    role = HolderRole.TITULAIRE
    person_kind = PersonKind.PHYSIQUE
    last_name = "MOREAU"
    first_names = "Jeanne"
    birth_date = date(1970, 2, 1)
    address = "12 rue Saint-Dizier"
    postal_code = "54000"
    commune = "Nancy"
    since = date(2019, 6, 12)


def seller_user(**kwargs):
    """The account of the factories' titulaire, Jeanne MOREAU."""
    return UserFactory(
        **{
            "first_name": "Jeanne",
            "last_name": "Moreau",
            "email": "jeanne.moreau@example.fr",
            **kwargs,
        }
    )


BUYER = Buyer(
    kind=PersonKind.PHYSIQUE,
    last_name="MERCIER",
    first_names="Pierre",
    birth_date=date(1990, 1, 15),
    address="3 place Bellecour",
    postal_code="69002",
    commune="Lyon",
)


def declared(vehicle=None, *, seller=None, buyer=BUYER, days_ago=1):
    """A declaration of sale of `vehicle` to Pierre MERCIER; returns
    DeclaredCession (declaration + plain code)."""
    vehicle = vehicle or VehicleFactory()
    seller = seller or seller_user()
    sold_at = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(10, 0))
    )
    return declare_cession(
        vehicle=vehicle, seller=seller, sold_at=sold_at, mileage=48250, buyer=buyer, actor=seller
    )
