"""Demonstration accounts: one per profile and an operator (idempotent)."""

import datetime
from base64 import b32decode
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from titres.core.demo import DemoCredential

from .enums import HabilitationStatus, Profile, SecretQuestion, Sex
from .models import Habilitation, TermsAcceptance, TermsVersion, User

# Demonstration only: printed by `make run`, never used outside DEBUG demos.
PASSWORD = "Demo-Titres-2026!"  # noqa: S105
OPERATOR_PASSWORD = "Operateur-Titres-2026!"  # noqa: S105
# /gestion/ asks for a second factor: type this key in an authenticator app,
# or use the backup code (single use, recreated at every load).
OPERATOR_TOTP_SECRET = "KRUXI4TFOMWW64DFOJQXIZLVOIWTENRB"  # noqa: S105 - demo only
OPERATOR_BACKUP_CODE = "26082026"
TERMS_FILE = Path(__file__).parent / "data" / "cgu_v1.md"

ACCOUNTS = [
    {
        "username": "demo-particulier",
        "profile": Profile.PARTICULIER,
        "first_name": "Camille",
        "last_name": "Martin",
        "sex": Sex.FEMME,
        "email": "camille.martin@demo.titres.localhost",
        "phone": "+33612345678",
    },
    {
        "username": "demo-garage",
        "profile": Profile.PRO_SIV,
        "first_name": "Karim",
        "last_name": "Benali",
        "sex": Sex.HOMME,
        "email": "garage@demo.titres.localhost",
        "phone": "+33324000001",
        "organisation_name": "Garage du Centre",
        "siret": "35600000000048",
    },
    {
        "username": "demo-autoecole",
        "profile": Profile.AUTO_ECOLE,
        "first_name": "Sophie",
        "last_name": "Leroy",
        "sex": Sex.FEMME,
        "email": "autoecole@demo.titres.localhost",
        "phone": "+33324000002",
        "organisation_name": "Auto-école des Ardennes",
        "approval_number": "E 24 008 0001 0",
    },
    {
        "username": "demo-cssr",
        "profile": Profile.CENTRE_SENSIBILISATION,
        "first_name": "Paul",
        "last_name": "Durand",
        "sex": Sex.HOMME,
        "email": "cssr@demo.titres.localhost",
        "phone": "+33324000003",
        "organisation_name": "Centre de sensibilisation de Charleville",
        "approval_number": "R 23 008 0004 0",
    },
    {
        "username": "demo-mairie",
        "profile": Profile.MAIRIE,
        "first_name": "Claire",
        "last_name": "Petit",
        "sex": Sex.FEMME,
        "email": "mairie@demo.titres.localhost",
        "phone": "+33324000004",
        "organisation_name": "Mairie de Charleville-Mézières",
        "dr_count": 3,
    },
    {
        "username": "demo-societe",
        "profile": Profile.PERSONNE_MORALE,
        "first_name": "Julien",
        "last_name": "Moreau",
        "sex": Sex.HOMME,
        "email": "societe@demo.titres.localhost",
        "phone": "+33324000005",
        "organisation_name": "Transports Moreau SAS",
        "siret": "73282932000074",
    },
]


def ensure_terms() -> TermsVersion:
    terms = TermsVersion.objects.order_by("-version").first()
    if terms is None:
        terms = TermsVersion.objects.create(
            version=1,
            title="Conditions générales d’utilisation",
            text=TERMS_FILE.read_text(encoding="utf-8"),
            published_at=timezone.now(),
        )
    return terms


def _ensure_user(username, password, terms, **fields) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    for name, value in fields.items():
        setattr(user, name, value)
    user.is_active = True
    user.suspended_until = None
    user.suspension_reason = ""
    user.email_verified_at = user.email_verified_at or timezone.now()
    if not user.secret_answer_hash:
        user.secret_question = SecretQuestion.FIRST_PET
        user.set_secret_answer("Rex")
    if not user.has_usable_password() or not user.check_password(password):
        user.set_password(password)
    user.save()
    TermsAcceptance.objects.get_or_create(user=user, version=terms)
    return user


def _operator_devices(user: User) -> None:
    TOTPDevice.objects.update_or_create(
        user=user,
        name="Démo",
        defaults={"key": b32decode(OPERATOR_TOTP_SECRET).hex(), "confirmed": True},
    )
    static, _created = StaticDevice.objects.get_or_create(
        user=user, name="Codes de secours (démo)", defaults={"confirmed": True}
    )
    if not static.token_set.filter(token=OPERATOR_BACKUP_CODE).exists():
        StaticToken.objects.create(device=static, token=OPERATOR_BACKUP_CODE)


def load() -> list[DemoCredential]:
    terms = ensure_terms()
    if not settings.DEBUG:
        # Known passwords and a superuser have no place on a real server.
        return []
    credentials = []
    operator = _ensure_user(
        "operateur",
        OPERATOR_PASSWORD,
        terms,
        email="operateur@demo.titres.localhost",
        first_name="Olivia",
        last_name="Opératrice",
        is_staff=True,
        is_superuser=True,
    )
    _operator_devices(operator)
    credentials.append(
        DemoCredential(
            "opérateur",
            operator.username,
            OPERATOR_PASSWORD,
            (
                f"/gestion/ ; clé TOTP (base32) {OPERATOR_TOTP_SECRET}, ou code de secours "
                f"{OPERATOR_BACKUP_CODE} (à usage unique, recréé à chaque chargement)"
            ),
        )
    )
    labels = dict(Profile.choices)
    for account in ACCOUNTS:
        fields = dict(account)
        username = fields.pop("username")
        user = _ensure_user(username, PASSWORD, terms, **fields)
        credentials.append(DemoCredential(str(labels[user.profile]), username, PASSWORD))
        if user.profile == Profile.PRO_SIV:
            Habilitation.objects.update_or_create(
                number="SIV-08-2024-0042",
                defaults={
                    "department": "08",
                    "starts_on": datetime.date(2024, 1, 15),
                    "ends_on": None,
                    "status": HabilitationStatus.ACTIVE,
                    "organisation_name": user.organisation_name,
                    "siret": user.siret,
                    "first_name": user.first_name,
                    "last_name": user.last_name,
                    "email": user.email,
                    "username": user.username,
                    "user": user,
                },
            )
    return credentials
