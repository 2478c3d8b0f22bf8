"""Factories of the back office. States read like the seed:
PermisDemarcheFactory(submitted=True), (awaiting=True), (validated=True)..."""

from datetime import date

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import UserFactory
from tests.procedures.factories import AuthorityFactory, DemarcheFactory, DocumentFactory
from titres.instruction.enums import AgentRole
from titres.instruction.models import AgentMembership
from titres.permis.procedure import CODE as PERMIS_CODE

__all__ = [
    "AgentMembershipFactory",
    "AuthorityFactory",
    "DocumentFactory",
    "PermisDemarcheFactory",
    "UserFactory",
    "answers",
]


def answers(
    *,
    nom="CORNEILLE",
    prenoms=("Pierre",),
    date_naissance=date(1956, 1, 1),
    sexe="M",
    motif="vol",
    code_postal="54000",
    neph="",
    nom_usage="",
    **extra,
):
    data = {
        "motif": {"motif": motif},
        "etat_civil": {
            "nom_naissance": nom,
            "nom_usage": nom_usage,
            "prenoms": list(prenoms),
            "date_naissance": date_naissance.isoformat() if date_naissance else "",
            "sexe": sexe,
            "neph": neph,
            "commune_naissance": "Nancy",
            "departement_naissance": "54",
        },
        "adresse": {"code_postal": code_postal},
    }
    data.update(extra)
    return data


class AgentMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgentMembership

    user = factory.SubFactory(UserFactory, first_name="Alice", last_name="Agent")
    authority = factory.SubFactory(AuthorityFactory)
    role = AgentRole.AGENT_INSTRUCTEUR


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Application"
    confirmed = True


class PermisDemarcheFactory(DemarcheFactory):
    """A driving-licence request with the answers layout of the permis
    wizard (etat_civil, motif, adresse)."""

    procedure_code = PERMIS_CODE
    answers = factory.LazyFunction(answers)
