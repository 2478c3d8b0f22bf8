import datetime

import factory
from django.contrib.auth.models import Permission
from django.utils import timezone

from titres.accounts.enums import HabilitationStatus, Profile, SecretQuestion, Sex
from titres.accounts.models import (
    Habilitation,
    MairieAccountRequest,
    TermsAcceptance,
    TermsVersion,
    User,
)

PASSWORD = "Mot-de-passe-2026!"


class TermsVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsVersion

    version = factory.Sequence(lambda n: n + 1)
    text = factory.LazyAttribute(lambda o: f"## Article 1\n\nTexte de la version {o.version}.")
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))


class UserFactory(factory.django.DjangoModelFactory):
    """An active account that accepted the current terms (if any). Shared by
    every app's tests (tests/<app>/factories.py import it).

    States: `pending=True` (awaiting activation), `suspended=True` (for 7
    days), `operator=True` (staff and superuser), `profile=...`;
    `permissions=["app_label.codename", ...]` grants global permissions."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        pending = factory.Trait(is_active=False, email_verified_at=None)
        suspended = factory.Trait(
            suspended_until=factory.LazyFunction(
                lambda: timezone.now() + datetime.timedelta(days=7)
            ),
            suspension_reason="Usage frauduleux suspecté.",
        )
        operator = factory.Trait(is_staff=True, is_superuser=True)

    username = factory.Sequence(lambda n: f"usager{n}")
    email = factory.Sequence(lambda n: f"usager{n}@exemple.fr")
    first_name = "Camille"
    last_name = "Martin"
    profile = Profile.PARTICULIER
    sex = Sex.FEMME
    phone = "+33612345678"
    secret_question = SecretQuestion.FIRST_PET
    is_active = True
    email_verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        obj.set_secret_answer("Rex")
        if create:
            obj.save()

    @factory.post_generation
    def permissions(obj, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for codename in extracted:
            app_label, code = codename.split(".")
            obj.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=code)
            )

    @factory.post_generation
    def accept_terms(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        current = TermsVersion.objects.order_by("-version").first()
        if current:
            TermsAcceptance.objects.get_or_create(user=obj, version=current)


class HabilitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Habilitation

    number = factory.Sequence(lambda n: f"SIV-08-{n:04d}")
    department = "08"
    starts_on = datetime.date(2024, 1, 1)
    status = HabilitationStatus.ACTIVE
    organisation_name = "Garage du Centre"
    first_name = "Karim"
    last_name = "Benali"
    user = factory.SubFactory(
        UserFactory, profile=Profile.PRO_SIV, organisation_name="Garage du Centre"
    )
    email = factory.SelfAttribute("user.email")
    username = factory.SelfAttribute("user.username")


class MairieAccountRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MairieAccountRequest

    commune = "Charleville-Mézières"
    insee_code = "08105"
    department = "08"
    dr_count = 2
    contact_first_name = "Claire"
    contact_last_name = "Petit"
    email = factory.Sequence(lambda n: f"mairie{n}@exemple.fr")
    phone = "+33324000004"
