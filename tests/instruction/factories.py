"""Factories of the back office. States read like the seed:
PermisDemarcheFactory(submitted=True), (awaiting=True), (validated=True)..."""

from datetime import date

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import UserFactory
from tests.procedures.factories import AuthorityFactory, DocumentFactory
from titres.instruction.enums import AgentRole
from titres.instruction.models import AgentMembership
from titres.procedures.enums import Role, Status
from titres.procedures.models import Demarche, StatusChange

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


class PermisDemarcheFactory(factory.django.DjangoModelFactory):
    """A driving-licence request with the answers layout of the permis
    wizard (etat_civil, motif, adresse)."""

    class Meta:
        model = Demarche
        skip_postgeneration_save = True

    procedure_code = "permis-test"
    owner = factory.SubFactory(UserFactory)
    answers = factory.LazyFunction(answers)
    status = Status.BROUILLON

    class Params:
        submitted = factory.Trait(
            status=Status.EN_COURS,
            submitted_at=factory.LazyFunction(timezone.now),
            authority=factory.SubFactory(AuthorityFactory),
        )
        taken = factory.Trait(submitted=True, taken_at=factory.LazyFunction(timezone.now))
        awaiting = factory.Trait(taken=True, status=Status.EN_ATTENTE_USAGER)
        rejected = factory.Trait(
            taken=True, status=Status.REJETEE, decided_at=factory.LazyFunction(timezone.now)
        )
        validated = factory.Trait(
            taken=True, status=Status.VALIDEE, decided_at=factory.LazyFunction(timezone.now)
        )
        in_production = factory.Trait(validated=True, status=Status.EN_PRODUCTION)
        done = factory.Trait(in_production=True, status=Status.TERMINEE)

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create and self.status != Status.BROUILLON and self.submitted_at:
            StatusChange.objects.create(
                demarche=self,
                from_status=Status.BROUILLON,
                to_status=Status.EN_COURS,
                event="soumettre",
                label="Demande déposée",
                actor=self.owner,
                actor_role=Role.USAGER,
            )
