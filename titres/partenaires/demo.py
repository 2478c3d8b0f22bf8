"""Demonstration data of the partner API: one partner and one token with
every scope, printed by `make run` with a curl line that works as is.

A real token is shown once and only its hash is kept; the demonstration
token is *derived* from SECRET_KEY (tokens.demo_secret) so that it can be
printed again at every start. Development and demo platforms only
(load_demo refuses to run without DEBUG unless told otherwise)."""

from django.conf import settings

from titres.accounts import demo as accounts_demo
from titres.core.demo import DemoCredential
from titres.permis.identifiers import make_neph

from . import services, tokens
from .enums import Scope
from .models import ApiToken, Partner

PARTNER_SIRET = "13002526500013"
RECIPIENT = "21540395700008"
PROCEDURE = "Démonstration de l’API"
MEMBER_USERNAME = "demo-societe"
# Pierre Corneille of seed 002 (titres.permis.demo).
DEMO_NEPH = make_neph(year=1974, departement="54", sequence=9_000_001)


def curl_example(secret: str) -> str:
    query = (
        f"neph={DEMO_NEPH}&nom=CORNEILLE&prenoms=Pierre&date_naissance=1956-01-01"
        f"&recipient={RECIPIENT}&context=Demo&object=Dossier-1"
    )
    return (
        f'curl -H "Authorization: Bearer {secret}" '
        f"'{settings.SITE_URL}/api/v1/permis-de-conduire?{query}'"
    )


def load() -> list[DemoCredential]:
    partner = Partner.objects.filter(siret=PARTNER_SIRET).first()
    if partner is None:
        partner = services.create_partner(
            actor=None,
            name="Direction interministérielle du numérique (démonstration)",
            siret=PARTNER_SIRET,
            technical_email="technique@partenaire.demo",
            technical_phone="0102030405",
            business_email="metier@partenaire.demo",
            business_phone="0102030406",
        )
    # The "personne morale" demo account (titres.accounts.demo) signs in to
    # the partner's dashboard.
    from titres.accounts.models import User

    member = User.objects.filter(username=MEMBER_USERNAME).first()
    if member is not None:
        partner.members.add(member)
    # Issued again at each (re)load, with the same derived secret: every
    # scope known today, and a token that still works after a new SECRET_KEY.
    ApiToken.objects.filter(partner=partner, procedure=PROCEDURE).delete()
    _, secret = services.issue_token(
        partner=partner,
        procedure=PROCEDURE,
        legal_basis="Démonstration (aucune donnée réelle)",
        legal_reference="—",
        scopes=list(Scope.values),
        actor=None,
        secret=tokens.demo_secret(),
    )
    return [
        DemoCredential(
            role="Jeton API partenaire (démo, dérivé de SECRET_KEY)",
            identifier=partner.name,
            secret=secret,
            note=curl_example(secret),
        ),
        DemoCredential(
            role="Tableau de bord du partenaire",
            identifier=MEMBER_USERNAME,
            secret=accounts_demo.PASSWORD,
            note="/partenaires/tableau-de-bord/",
        ),
    ]
