import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.accounts.factories import UserFactory
from titres.procedures.enums import AuthorityKind, DocumentStatus, Role, Status
from titres.procedures.models import Authority, Demarche, Document, Message, StatusChange

from . import samples, toy

__all__ = [
    "AuthorityFactory",
    "DemarcheFactory",
    "DocumentFactory",
    "MessageFactory",
    "UserFactory",
    "agent",
]


AGENT_PERMISSIONS = {
    Role.AGENT_INSTRUCTEUR: ["procedures.instruire_demarche"],
    Role.CHEF_DE_SERVICE: ["procedures.superviser_demarche"],
    Role.LECTURE_SEULE: ["procedures.consulter_demarche"],
}


def agent(role=Role.AGENT_INSTRUCTEUR, *, verified=True, **kwargs):
    """A staff account holding `role` on every file (default access policy).

    Policies grant nothing before the second factor: `verified=True` marks
    this user object as coming from an OTP-verified session (what
    django_otp's OTPMiddleware sets on request.user), for direct calls to
    services; `verified=False` is a password-only session."""
    user = UserFactory(is_staff=True, permissions=AGENT_PERMISSIONS[role], **kwargs)
    user.is_verified = lambda: verified
    return user


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ("code",)

    code = "543"
    name = "Préfecture de Meurthe-et-Moselle"
    kind = AuthorityKind.PREFECTURE
    departements = factory.LazyFunction(lambda: ["54"])


class DemarcheFactory(factory.django.DjangoModelFactory):
    """A toy-procedure démarche. States read like the seed:
    DemarcheFactory(submitted=True), (taken=True), (awaiting=True),
    (rejected=True), (validated=True), (in_production=True), (done=True),
    (abandoned=True); (with_documents=True) adds valid documents."""

    class Meta:
        model = Demarche
        skip_postgeneration_save = True

    procedure_code = toy.CODE
    owner = factory.SubFactory(UserFactory)
    answers = factory.LazyFunction(lambda: {k: dict(v) for k, v in toy.COMPLETE_ANSWERS.items()})
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
        abandoned = factory.Trait(status=Status.ABANDONNEE)

    @factory.post_generation
    def with_documents(self, create, extracted, **kwargs):
        if create and extracted:
            for rule in toy.rules(self):
                DocumentFactory(demarche=self, code=rule.code, label=rule.label)

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


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    demarche = factory.SubFactory(DemarcheFactory)
    code = "domicile"
    label = "Justificatif de domicile de moins de 3 mois"
    file = factory.LazyFunction(lambda: ContentFile(samples.png(), name="piece.png"))
    original_name = "facture.png"
    content_type = "image/png"
    size = 100
    pages = 1
    sha256 = "0" * 64
    status = DocumentStatus.VALIDE
    uploaded_by = factory.LazyAttribute(lambda o: o.demarche.owner)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    demarche = factory.SubFactory(DemarcheFactory, submitted=True)
    author = factory.LazyAttribute(lambda o: o.demarche.owner)
    author_role = Role.USAGER
    body = "Bonjour, voici ma question."
