"""The partner's self-service from its dashboard: its contacts (seed 004
§4), renewal and revocation of its tokens, each journaled; anyone but a
member gets a 404, another partner's token a 404."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from tests.accounts.factories import UserFactory
from tests.permis.factories import LicenceRecordFactory
from titres.accounts.enums import Profile
from titres.core.models import AuditEvent
from titres.partenaires import services, tokens
from titres.partenaires.enums import PartnerState, Scope
from titres.partenaires.models import ApiToken

from .factories import PartnerFactory, issue
from .helpers import error, get

pytestmark = pytest.mark.django_db

CONTACTS = "/partenaires/tableau-de-bord/contacts/"
NEW_CONTACTS = {
    "technical_email": "dsi@cc-exemple.fr",
    "technical_phone": "03 83 00 00 01",
    "business_email": "aides@cc-exemple.fr",
    "business_phone": "0383000002",
}


def renew_url(token):
    return f"/partenaires/tableau-de-bord/jetons/{token.pk}/renouveler/"


def revoke_url(token):
    return f"/partenaires/tableau-de-bord/jetons/{token.pk}/revoquer/"


@pytest.fixture
def member():
    return UserFactory(profile=Profile.PERSONNE_MORALE)


@pytest.fixture
def token(member):
    token, _ = issue(
        scopes=[Scope.PERMIS_VALIDITE, Scope.PERMIS_POINTS], ip_allowlist=["127.0.0.1"]
    )
    token.partner.members.add(member)
    return token


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def _licence_call(client, secret):
    record = LicenceRecordFactory()
    query = {
        "neph": record.neph,
        "nom": record.birth_name,
        "prenoms": record.first_names,
        "date_naissance": record.birth_date.isoformat(),
    }
    return get(client, "/api/v1/permis-de-conduire", secret, query)


def test_member_edits_its_contacts(signed_in, token, member):
    page = signed_in.get(CONTACTS)
    assert page.status_code == 200
    assert 'value="technique@exemple.fr"' in page.content.decode()
    response = signed_in.post(CONTACTS, NEW_CONTACTS)
    assert response.status_code == 302 and response["Location"] == "/partenaires/tableau-de-bord/"
    partner = token.partner
    partner.refresh_from_db()
    assert partner.technical_email == "dsi@cc-exemple.fr"
    assert (partner.technical_phone, partner.business_phone) == ("+33383000001", "+33383000002")
    [event] = AuditEvent.objects.filter(event="partenaires.contacts_updated")
    assert event.actor == member
    assert event.data == {"champs": list(services.CONTACT_FIELDS)}  # names, never values
    dashboard = signed_in.get("/partenaires/tableau-de-bord/", follow=True).content.decode()
    assert "dsi@cc-exemple.fr" in dashboard


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("technical_email", "", "Ce champ est obligatoire."),
        ("business_email", "pas-un-courriel", "Saisissez une adresse de courriel valide."),
        (
            "technical_phone",
            "12",
            "Saisissez un numéro de téléphone français à 10 chiffres (exemple : 06 12 34 56 78).",
        ),
        ("business_phone", "", "Ce champ est obligatoire."),
    ],
)
def test_contacts_refusals_keep_what_was_typed(signed_in, token, field, value, message):
    response = signed_in.post(CONTACTS, {**NEW_CONTACTS, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    page = response.content.decode()
    assert 'value="aides@cc-exemple.fr"' in page or field == "business_email"
    token.partner.refresh_from_db()
    assert token.partner.technical_email == "technique@exemple.fr"
    assert not AuditEvent.objects.filter(event="partenaires.contacts_updated").exists()


def test_not_a_member_gets_404(client, token):
    client.force_login(UserFactory(profile=Profile.PERSONNE_MORALE))
    for url in (CONTACTS, renew_url(token), revoke_url(token)):
        assert client.get(url).status_code == 404
        assert client.post(url, NEW_CONTACTS).status_code == 404
    assert ApiToken.objects.count() == 1 and ApiToken.objects.get().revoked_at is None


def test_another_partners_token_is_404(signed_in, token):
    other, _ = issue(PartnerFactory(siret="21540395700008"))
    assert signed_in.get(renew_url(other)).status_code == 404
    assert signed_in.post(renew_url(other)).status_code == 404
    assert signed_in.post(revoke_url(other)).status_code == 404
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None


def test_renewal_shows_the_secret_once_keeps_scopes_and_overlaps(client, signed_in, token, member):
    page = signed_in.get(renew_url(token)).content.decode()
    assert "Permis : solde de points" in page and "7 jours de plus" in page
    before = timezone.now()
    response = signed_in.post(renew_url(token))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret in response.content.decode()
    new = ApiToken.objects.get(renewed_from=token)
    assert tokens.matches(secret, new.key_hash)
    assert (new.scopes, new.ip_allowlist) == (token.scopes, token.ip_allowlist)
    assert (new.procedure, new.legal_basis) == (token.procedure, token.legal_basis)
    token.refresh_from_db()
    overlap = services.RENEWAL_OVERLAP
    assert before + overlap <= token.expires_at <= timezone.now() + overlap
    [event] = AuditEvent.objects.filter(event="partenaires.token_renewed")
    assert event.actor == member
    assert event.data["remplace"] == token.key_id and secret not in str(event.data)
    # Never shown again.
    assert secret not in signed_in.get("/partenaires/tableau-de-bord/").content.decode()
    # A second renewal of the same token is refused.
    again = signed_in.post(renew_url(token))
    assert again.context["refusal"] == "Ce jeton a déjà été renouvelé."
    assert ApiToken.objects.count() == 2


def test_old_token_works_during_the_overlap_then_says_it_was_renewed(client, token):
    old, old_secret = issue(token.partner)
    services.renew_token(token=old, actor=None)
    assert _licence_call(client, old_secret).status_code == 200
    with freeze_time(timezone.now() + services.RENEWAL_OVERLAP + dt.timedelta(minutes=1)):
        response = _licence_call(client, old_secret)
    assert (response.status_code, error(response)["code"]) == (401, "00103")
    assert error(response)["detail"].endswith("il a été renouvelé, utilisez le nouveau jeton.")


def test_renewal_never_extends_a_token_about_to_expire(token):
    expires_at = token.expires_at
    with freeze_time(expires_at - dt.timedelta(days=2)):
        services.renew_token(token=token, actor=None)
    token.refresh_from_db()
    assert token.expires_at == expires_at
    assert ApiToken.objects.get(renewed_from=token).expires_at > token.expires_at


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("revoked", "Ce jeton est révoqué : il ne peut pas être renouvelé."),
        (
            "suspended",
            "L’accès de votre organisation est suspendu : aucun jeton ne peut être renouvelé.",
        ),
    ],
)
def test_renewal_refusals(signed_in, token, case, message):
    if case == "revoked":
        services.revoke_token(token=token, actor=None)
    else:
        services.suspend_partner(partner=token.partner, reason="Contrôle", actor=None)
    response = signed_in.post(renew_url(token))
    assert response.status_code == 200 and response.context["refusal"] == message
    assert message in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_member_revokes_a_token(client, signed_in, member):
    token, secret = issue()
    token.partner.members.add(member)
    assert "sera refusé dès maintenant" in signed_in.get(revoke_url(token)).content.decode()
    response = signed_in.post(revoke_url(token))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    [event] = AuditEvent.objects.filter(event="partenaires.token_revoked")
    assert event.actor == member
    assert (_licence_call(client, secret).status_code, token.partner.state) == (
        401,
        PartnerState.ACTIVE,
    )
    assert "est révoqué depuis le" in signed_in.get(revoke_url(token)).content.decode()


def test_dashboard_offers_renewal_and_revocation(signed_in, token):
    page = signed_in.get("/partenaires/tableau-de-bord/").content.decode()
    assert renew_url(token) in page and revoke_url(token) in page
    assert "Modifier les contacts" in page
    services.suspend_partner(partner=token.partner, reason="Contrôle en cours", actor=None)
    page = signed_in.get("/partenaires/tableau-de-bord/").content.decode()
    assert renew_url(token) not in page
    assert "Motif : Contrôle en cours" in page
