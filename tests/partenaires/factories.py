import factory

from titres.partenaires import services
from titres.partenaires.enums import Scope
from titres.partenaires.models import Partner

# Valid SIRETs (Luhn): the DINUM's and another public body's.
SIRET = "13002526500013"
RECIPIENT = "21540395700008"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Communauté de communes {n}")
    siret = SIRET
    technical_email = "technique@exemple.fr"
    technical_phone = "0102030405"
    business_email = "metier@exemple.fr"
    business_phone = "0102030406"


def issue(partner=None, *, scopes=(Scope.PERMIS_VALIDITE, Scope.PERMIS_CATEGORIES), **kwargs):
    """A token and its secret, as the operator's service gives them."""
    return services.issue_token(
        partner=partner or PartnerFactory(),
        procedure="Aide à la mobilité",
        legal_basis="Délibération du conseil communautaire",
        legal_reference="Délibération n° 2026-14",
        scopes=[str(s) for s in scopes],
        actor=None,
        **kwargs,
    )
