"""Demonstration data of the back office (idempotent): the authorities,
three agents of the prefecture 543 (and of the vehicles' CERT), an agent of
the ID titles' CERT (CERT-TES), all with a known password AND a known TOTP
secret (and a static backup code, recreated at every load), and a few
submitted files."""

from base64 import b32decode
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from titres.core.demo import DemoCredential
from titres.procedures.enums import AuthorityKind, Role, Status
from titres.procedures.models import Authority, Demarche, StatusChange

from .enums import AgentRole
from .models import AgentMembership
from .search import index_demarche

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
]
AGENTS = [
    ("agent.instructeur", "Alice", "Instructrice", AgentRole.AGENT_INSTRUCTEUR),
    ("chef.service", "Bernard", "Chef", AgentRole.CHEF_DE_SERVICE),
    ("agent.lecture", "Chloé", "Lecture", AgentRole.LECTURE_SEULE),
]
# The instructing centre of ID cards and passports: files recorded at a town
# hall's counter go to it (titres/identite/services/counter.py).
CERT_TES_AGENT = ("agent.cert-tes", "Denis", "Titres d’identité", AgentRole.AGENT_INSTRUCTEUR)
CITIZEN = "demo-instruction-usager"
FILES = [
    ("CORNEILLE", ["Pierre"], date(1956, 1, 1), "M", "vol", "54000", 12),
    ("MÉNARD", ["Raoul"], date(1981, 4, 19), "M", "perte", "54100", 9),
    ("DELAUNAY", ["Antoine", "Louis"], date(1981, 4, 16), "M", "vol", "57000", 5),
    ("OGER", ["David"], date(1972, 6, 22), "M", "deterioration", "88000", 2),
    ("TESSIER", ["Étienne"], date(1981, 4, 19), "M", "vol", "55000", 1),
]


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


def _answers(name, first_names, birth, sex, motif, postal_code):
    return {
        "motif": {"motif": motif},
        "etat_civil": {
            "nom_naissance": name,
            "nom_usage": "",
            "prenoms": first_names,
            "date_naissance": birth.isoformat(),
            "sexe": sex,
            "commune_naissance": "Nancy" if name == "CORNEILLE" else "",
        },
        "adresse": {"code_postal": postal_code},
    }


def _files(authority, owner):
    if Demarche.objects.filter(owner=owner).exists():
        return
    for name, first_names, birth, sex, motif, postal_code, days in FILES:
        submitted = timezone.now() - timedelta(days=days)
        demarche = Demarche.objects.create(
            procedure_code="permis-demo",
            owner=owner,
            status=Status.EN_COURS,
            answers=_answers(name, first_names, birth, sex, motif, postal_code),
            authority=authority,
            submitted_at=submitted,
        )
        StatusChange.objects.create(
            demarche=demarche,
            from_status=Status.BROUILLON,
            to_status=Status.EN_COURS,
            event="soumettre",
            label="Demande déposée",
            actor=owner,
            actor_role=Role.USAGER,
        )
        index_demarche(demarche)


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
                ),
            )
        )
    credentials.append(_cert_tes_agent())
    _files(authorities["543"], _user(CITIZEN, "Pierre", "Corneille"))
    return credentials


def _cert_tes_agent() -> DemoCredential:
    from django.urls import reverse

    from titres.identite.services.counter import cert_authority

    username, first_name, last_name, role = CERT_TES_AGENT
    user = _user(username, first_name, last_name)
    _devices(user)
    authority = cert_authority()
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
