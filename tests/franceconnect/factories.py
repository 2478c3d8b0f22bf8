import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from titres.franceconnect.enums import IdentityOrigin, LinkMethod
from titres.franceconnect.models import FranceConnectIdentity

PASSWORD = "Motdepasse-solide-2024!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usager{n}")
    email = factory.Sequence(lambda n: f"usager{n}@example.org")
    first_name = "Camille"
    last_name = "ROUX"
    is_active = True
    email_verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        if extracted is False:
            obj.set_unusable_password()
        else:
            obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()


class FranceConnectIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FranceConnectIdentity

    user = factory.SubFactory(UserFactory)
    sub = factory.Sequence(lambda n: f"{n:064x}v1")
    issuer = "https://fc.test/api/v2"
    origin = IdentityOrigin.LOCAL_PROVIDER
    eidas_level = "eidas1"
    given_name = "Camille"
    family_name = "ROUX"
    link_method = LinkMethod.CREATED

    class Params:
        from_franceconnect = factory.Trait(
            origin=IdentityOrigin.FRANCECONNECT,
            issuer="https://oidc.franceconnect.gouv.fr/api/v2",
        )
        substantial = factory.Trait(eidas_level="eidas2")
