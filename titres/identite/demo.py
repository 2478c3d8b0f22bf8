"""Demonstration data: a town hall with two devices open every weekday,
and a booking-software vendor. Idempotent."""

import datetime

from titres.core.demo import DemoCredential

MAIRIE_USERNAME = "mairie.lyon1"
MAIRIE_PASSWORD = "Mairie-Lyon-2026!"  # noqa: S105 - demonstration account


# Issued titles the partner API verifies (GET /api/v1/titre-identite):
# (number, kind, years since issue, lost, stolen). Expiry: 15 years for an
# ID card, 10 for a passport, counted from the issue date.
DEMO_TITLES = [
    ("X4RTBPFW4", "cni", 3, False, False, "valide"),
    ("880692310285", "cni", 16, False, False, "expiré"),
    ("Y7KQ2MZC8", "cni", 2, True, False, "déclaré perdu"),
    ("18AB12345", "passeport", 4, False, True, "déclaré volé"),
]


def load_titles() -> list[DemoCredential]:
    from .models import IssuedTitle

    today = datetime.date.today()
    credentials = []
    for number, kind, age, lost, stolen, label in DEMO_TITLES:
        issued = today.replace(year=today.year - age, day=1)
        validity = 15 if kind == "cni" else 10
        IssuedTitle.objects.update_or_create(
            number=number,
            defaults={
                "kind": kind,
                "issued_on": issued,
                "expires_on": issued.replace(year=issued.year + validity),
                "declared_lost_on": today - datetime.timedelta(days=30) if lost else None,
                "declared_stolen_on": today - datetime.timedelta(days=30) if stolen else None,
            },
        )
        credentials.append(
            DemoCredential(
                role=f"Titre délivré ({kind})",
                identifier=number,
                secret="—",  # noqa: S106 - a title number, no secret
                note=f"{label} ; GET /api/v1/titre-identite?numero={number}",
            )
        )
    return credentials


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
        ),
        *load_titles(),
    ]
