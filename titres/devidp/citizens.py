"""The demo citizens of the local identity provider and the demo client."""

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from titres.core.notifications import site_url

from .models import DemoCitizen, Gender

# Defaults of the FranceConnect client (titres.franceconnect.conf) match these.
DEMO_CLIENT_ID = "titres-devidp-demo"
DEMO_CLIENT_SECRET = "titres-devidp-demo-secret-not-for-production"  # noqa: S105
DEMO_CLIENT_NAME = "Titres (fournisseur d'identité local)"
CALLBACK_PATH = "/franceconnect/callback/"
POST_LOGOUT_PATH = "/franceconnect/deconnexion/fin/"
# Loopback origins match any port (RFC 8252): `make run`, the test live server.
LOOPBACK_ORIGINS = ("http://127.0.0.1", "http://localhost")


@dataclass(frozen=True)
class Citizen:
    slug: str
    given_name: str
    family_name: str
    birthdate: datetime.date
    gender: str
    birthplace: str
    birthplace_label: str
    birthcountry: str
    birthcountry_label: str
    email: str
    preferred_username: str = ""


CITIZENS = (
    # Several given names, like the FranceConnect sandbox's reference identity.
    Citizen(
        slug="angela-dubois",
        given_name="Angela Claire Louise",
        family_name="DUBOIS",
        birthdate=datetime.date(1962, 8, 24),
        gender=Gender.FEMALE,
        birthplace="75107",
        birthplace_label="Paris 7e Arrondissement",
        birthcountry="99100",
        birthcountry_label="France",
        email="angela.dubois@example.org",
    ),
    Citizen(
        slug="pierre-mercier",
        given_name="Pierre",
        family_name="MERCIER",
        birthdate=datetime.date(1990, 1, 15),
        gender=Gender.MALE,
        birthplace="69123",
        birthplace_label="Lyon",
        birthcountry="99100",
        birthcountry_label="France",
        email="pierre.mercier@example.org",
    ),
    # Born abroad: no commune code, a foreign country code.
    Citizen(
        slug="fatima-benali",
        given_name="Fatima Zahra",
        family_name="BENALI",
        birthdate=datetime.date(1985, 3, 2),
        gender=Gender.FEMALE,
        birthplace="",
        birthplace_label="",
        birthcountry="99350",
        birthcountry_label="Maroc",
        email="fatima.benali@example.org",
    ),
    # A married name used in daily life (nom d'usage).
    Citizen(
        slug="marie-lefebvre",
        given_name="Marie",
        family_name="LEFEBVRE",
        preferred_username="MARTIN",
        birthdate=datetime.date(1978, 11, 30),
        gender=Gender.FEMALE,
        birthplace="59350",
        birthplace_label="Lille",
        birthcountry="99100",
        birthcountry_label="France",
        email="marie.martin@example.org",
    ),
)


def _shadow_user(slug: str):
    User = get_user_model()
    suffix = secrets.token_hex(4)
    user = User(
        username=f"devidp-{slug}-{suffix}",
        email=f"{slug}.{suffix}@devidp.invalid",
        is_active=False,
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def ensure_citizens(*, refresh: bool = False) -> list[DemoCitizen]:
    """Create (or, with refresh, update) the demo citizens; idempotent."""
    existing = list(DemoCitizen.objects.select_related("user"))
    if not refresh and len(existing) >= len(CITIZENS):
        return existing
    result = []
    for position, citizen in enumerate(CITIZENS):
        fields = {k: v for k, v in citizen.__dict__.items() if k != "slug"}
        row = DemoCitizen.objects.filter(slug=citizen.slug).first()
        if row is None:
            row = DemoCitizen(slug=citizen.slug, user=_shadow_user(citizen.slug))
        for key, value in {**fields, "position": position}.items():
            setattr(row, key, value)
        row.save()
        result.append(row)
    return result


def _uris(path: str) -> list[str]:
    uris = [site_url(path)]
    uris += [f"{origin}{path}" for origin in LOOPBACK_ORIGINS]
    return list(dict.fromkeys(uris))


@transaction.atomic
def ensure_demo_application():
    """Create or refresh the demo OAuth client used by titres.franceconnect."""
    from oauth2_provider.models import get_application_model

    Application = get_application_model()
    app = Application.objects.filter(client_id=DEMO_CLIENT_ID).first()
    redirect_uris = " ".join(_uris(CALLBACK_PATH))
    post_logout = " ".join(_uris(POST_LOGOUT_PATH))
    if app is None:
        app = Application(client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET)
    elif app.redirect_uris == redirect_uris and app.post_logout_redirect_uris == post_logout:
        return app
    app.name = DEMO_CLIENT_NAME
    app.client_type = Application.CLIENT_CONFIDENTIAL
    app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    app.algorithm = Application.RS256_ALGORITHM
    app.redirect_uris = redirect_uris
    app.post_logout_redirect_uris = post_logout
    app.skip_authorization = False
    app.save()
    return app
