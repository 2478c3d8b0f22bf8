"""Demonstration data: a town hall with two devices open every weekday,
and a booking-software vendor. Idempotent."""

import datetime

from titres.core.demo import DemoCredential

MAIRIE_USERNAME = "mairie.lyon1"
MAIRIE_PASSWORD = "Mairie-Lyon-2026!"  # noqa: S105 - demonstration account


def load() -> list[DemoCredential]:
    from titres.accounts.enums import Profile
    from titres.accounts.models import User

    from .models import MeetingPoint, OpeningRule
    from .services.counter import cert_authority
    from .services.meeting_points import create_meeting_point

    cert_authority()
    mairie, created = User.objects.get_or_create(
        username=MAIRIE_USERNAME,
        defaults={
            "email": "mairie.lyon1@titres.localhost",
            "profile": Profile.MAIRIE,
            "organisation_name": "Mairie de Lyon 1er",
            "dr_count": 2,
        },
    )
    if created:
        mairie.set_password(MAIRIE_PASSWORD)
        mairie.save()
    if not MeetingPoint.objects.filter(mairie=mairie).exists():
        point = create_meeting_point(
            mairie=mairie,
            actor=None,
            name="Mairie de Lyon 1er",
            address="2 place Sathonay",
            postal_code="69001",
            city_name="Lyon",
            insee_code="69123",
            departement_code="69",
            latitude=45.7679,
            longitude=4.8310,
        )
        since = datetime.date.today() - datetime.timedelta(days=1)
        for device in point.devices.all():
            for weekday in range(5):
                for start, end in (
                    (datetime.time(9), datetime.time(12)),
                    (datetime.time(14), datetime.time(17)),
                ):
                    OpeningRule.objects.create(
                        device=device,
                        weekday=weekday,
                        start_time=start,
                        end_time=end,
                        slot_minutes=20,
                        people_per_slot=1,
                        valid_from=since,
                    )
    return [
        DemoCredential(
            role="Mairie (dispositif de recueil)",
            identifier=MAIRIE_USERNAME,
            secret=MAIRIE_PASSWORD,
            note="/identite/mairie/guichet/",
        )
    ]
