"""Demonstration data of the back office (idempotent): the authorities,
three agents of the prefecture 543 (and of the vehicles' CERT), an agent of
the ID titles' CERT (CERT-TES), all with a known password AND a known TOTP
secret (and a static backup code, recreated at every load). The files they
instruct come from the procedure apps' demos (e.g. permis.demo's licence
requests for 543)."""

from base64 import b32decode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from titres.core.demo import DemoCredential
from titres.procedures.enums import AuthorityKind
from titres.procedures.models import Authority

from .enums import AgentRole
from .models import AgentMembership
from .tools import registered_tools

PASSWORD = "Agent-Titres-2026!"  # noqa: S105 - demo account
# Type it in an authenticator app (or use the backup code below).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - demo only
BACKUP_CODE = "54354354"

AUTHORITIES = [
    ("543", "Préfecture de Meurthe-et-Moselle", AuthorityKind.PREFECTURE, ["54", "55", "57", "88"]),
    ("CERT-75", "CERT permis de conduire de Paris", AuthorityKind.CERT, ["75", "92", "93", "94"]),
    # Vehicle files (titres.vehicules: changes of holder) go to this CERT.
    (
        "CERT-SIV",
        "CERT immatriculation des véhicules (compétence nationale)",
        AuthorityKind.CERT,
        [],
    ),
    # ID cards and passports recorded at a town hall's counter go to this CERT
    # (identite/services/counter.py creates it with the same code and name).
    (
        "CERT-TES",
        "CERT titres d’identité (carte d’identité et passeport)",
        AuthorityKind.CERT,
        [],
    ),
]
AGENTS = [
    ("agent.instructeur", "Alice", "Instructrice", AgentRole.AGENT_INSTRUCTEUR),
    ("chef.service", "Bernard", "Chef", AgentRole.CHEF_DE_SERVICE),
    ("agent.lecture", "Chloé", "Lecture", AgentRole.LECTURE_SEULE),
]
# The instructing centre of ID cards and passports: files recorded at a town
# hall's counter go to it (titres/identite/services/counter.py).
CERT_TES_AGENT = ("agent.cert-tes", "Denis", "Titres d’identité", AgentRole.AGENT_INSTRUCTEUR)


def _user(username, first_name, last_name):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.titres.localhost",
            "first_name": first_name,
            "last_name": last_name,
            "email_verified_at": timezone.now(),
        },
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


def _devices(user):
    key = b32decode(TOTP_SECRET).hex()
    TOTPDevice.objects.update_or_create(
        user=user, name="Démo", defaults={"key": key, "confirmed": True}
    )
    static, _created = StaticDevice.objects.get_or_create(
        user=user, name="Codes de secours (démo)", defaults={"confirmed": True}
    )
    if not static.token_set.filter(token=BACKUP_CODE).exists():
        StaticToken.objects.create(device=static, token=BACKUP_CODE)


def load() -> list[DemoCredential]:
    authorities = {}
    for code, name, kind, departements in AUTHORITIES:
        authorities[code], _created = Authority.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "departements": departements}
        )
    credentials = []
    for username, first_name, last_name, role in AGENTS:
        user = _user(username, first_name, last_name)
        _devices(user)
        AgentMembership.objects.update_or_create(
            user=user, authority=authorities["543"], defaults={"role": role}
        )
        AgentMembership.objects.update_or_create(
            user=user, authority=authorities["CERT-SIV"], defaults={"role": role}
        )
        if role == AgentRole.CHEF_DE_SERVICE:
            AgentMembership.objects.update_or_create(
                user=user, authority=authorities["CERT-75"], defaults={"role": role}
            )
        credentials.append(
            DemoCredential(
                role=f"Agent — {role.label} (autorité 543)",
                identifier=username,
                secret=PASSWORD,
                note=(
                    f"Espace agent /agent/connexion/ ; clé TOTP (base32) {TOTP_SECRET}, "
                    f"ou code de secours {BACKUP_CODE} (à usage unique, recréé à chaque "
                    "chargement)"
                    + (
                        " ; saisit aussi les résultats d’examen du permis"
                        if username == AGENTS[0][0]
                        else ""
                    )
                ),
            )
        )
    _grant_tools(get_user_model().objects.get(username=AGENTS[0][0]))
    credentials.append(_cert_tes_agent(authorities["CERT-TES"]))
    return credentials


def _grant_tools(user):
    """The demo instructor may open every screen other apps offer agents
    (e.g. the licence exam results), through one group per screen — the
    way an operator would give it to real agents."""
    for tool in registered_tools():
        app_label, codename = tool.permission.split(".", 1)
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        group, _created = Group.objects.get_or_create(name=str(tool.label)[:150])
        group.permissions.add(permission)
        user.groups.add(group)


def _cert_tes_agent(authority) -> DemoCredential:
    username, first_name, last_name, role = CERT_TES_AGENT
    user = _user(username, first_name, last_name)
    _devices(user)
    AgentMembership.objects.update_or_create(
        user=user, authority=authority, defaults={"role": role}
    )
    worklist = reverse("instruction:worklist", args=[authority.code])
    return DemoCredential(
        role=f"Agent — {role.label} ({authority.code}, cartes d’identité et passeports)",
        identifier=username,
        secret=PASSWORD,
        note=(
            f"Espace agent /agent/connexion/, liste {worklist} : dossiers "
            f"recueillis en mairie ; clé TOTP (base32) {TOTP_SECRET}, ou code de secours "
            f"{BACKUP_CODE}"
        ),
    )
