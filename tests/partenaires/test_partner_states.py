"""Operators suspend, reactivate and terminate partners (seed 004 §5): the
partner is told by e-mail with the reason, its tokens answer 401 `00105`,
every change is journaled; the admin writes partners through the services."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.accounts.conftest import verified_login
from tests.accounts.factories import TermsVersionFactory, UserFactory
from tests.permis.factories import LicenceRecordFactory
from titres.accounts.enums import Profile
from titres.core.models import AuditEvent
from titres.partenaires import services
from titres.partenaires.enums import PartnerState
from titres.partenaires.models import ApiToken, CallLog, Partner

from .factories import PartnerFactory, issue
from .helpers import error, get

pytestmark = pytest.mark.django_db

URL = "/api/v1/permis-de-conduire"
ADMIN = "/gestion/partenaires/partner/"
REASON = "Appels hors de la finalité déclarée (contrôle du 12/11/2026)."


@pytest.fixture
def operator():
    TermsVersionFactory(version=1)
    return UserFactory(operator=True, username="operateur")


@pytest.fixture
def admin_client(client, operator):
    verified_login(client, operator)
    return client


def _licence_call(client, secret):
    record = LicenceRecordFactory()
    query = {
        "neph": record.neph,
        "nom": record.birth_name,
        "prenoms": record.first_names,
        "date_naissance": record.birth_date.isoformat(),
    }
    return get(client, URL, secret, query)


def _events(code):
    return list(AuditEvent.objects.filter(event=code).order_by("pk"))


def test_suspension_refuses_tokens_00105_and_tells_the_partner(
    client, operator, mailoutbox, django_capture_on_commit_callbacks
):
    token, secret = issue()
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend_partner(partner=token.partner, reason=REASON, actor=operator)
    response = _licence_call(client, secret)
    assert response.status_code == 401
    item = error(response)
    assert item["code"] == "00105"
    assert item["title"] == "Jeton révoqué ou suspendu"
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert (
        item["detail"] == f"L’accès de votre organisation est suspendu depuis le {today} : {REASON}"
    )
    [mail] = mailoutbox
    assert sorted(mail.to) == ["metier@exemple.fr", "technique@exemple.fr"]
    assert mail.subject == "Votre accès à l’API Titres est suspendu"
    assert REASON in mail.body
    [event] = _events("partenaires.partner_suspended")
    assert event.data == {"motif": REASON} and event.actor == operator
    # Nothing was revoked: reactivation restores the same token.
    with django_capture_on_commit_callbacks(execute=True):
        services.reactivate_partner(partner=token.partner, actor=operator)
    assert _licence_call(client, secret).status_code == 200
    assert mailoutbox[1].subject == "Votre accès à l’API Titres est rétabli"
    assert len(_events("partenaires.partner_reactivated")) == 1
    assert Partner.objects.get().state == PartnerState.ACTIVE


def test_termination_revokes_tokens_and_erases_contacts(
    client, operator, mailoutbox, django_capture_on_commit_callbacks
):
    member = UserFactory(profile=Profile.PERSONNE_MORALE)
    token, secret = issue()
    second, _ = issue(token.partner)
    partner = token.partner
    partner.members.add(member)
    CallLog.objects.create(
        token=token,
        method="GET",
        path=URL,
        params_hash="0" * 64,
        status_code=200,
        latency_ms=3,
        request_id="appel-avant-resiliation",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.terminate_partner(partner=partner, reason=REASON, actor=operator)
    partner.refresh_from_db()
    assert partner.state == PartnerState.TERMINATED and partner.state_reason == REASON
    assert (partner.technical_email, partner.technical_phone) == ("", "")
    assert (partner.business_email, partner.business_phone) == ("", "")
    assert list(partner.members.all()) == []
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    assert CallLog.objects.count() == 1  # traces stay (retention rule of CallLog)
    # Told at the addresses it had, with the reason, before they were erased.
    [mail] = mailoutbox
    assert sorted(mail.to) == ["metier@exemple.fr", "technique@exemple.fr"]
    assert REASON in mail.body and "résilié" in mail.subject
    [event] = _events("partenaires.partner_terminated")
    assert event.data == {"motif": REASON, "jetons_revoques": sorted([token.key_id, second.key_id])}
    response = _licence_call(client, secret)
    assert (response.status_code, error(response)["code"]) == (401, "00105")
    # The member's dashboard is gone.
    client.force_login(member)
    assert client.get("/partenaires/tableau-de-bord/").status_code == 404


@pytest.mark.parametrize(
    ("state", "function", "message"),
    [
        (PartnerState.SUSPENDED, "suspend", "Seul un partenaire actif peut être suspendu."),
        (PartnerState.TERMINATED, "suspend", "Seul un partenaire actif peut être suspendu."),
        (PartnerState.ACTIVE, "reactivate", "Seul un partenaire suspendu peut être réactivé."),
        (PartnerState.TERMINATED, "reactivate", "Seul un partenaire suspendu peut être réactivé."),
        (PartnerState.TERMINATED, "terminate", "Ce partenaire est déjà résilié."),
    ],
)
def test_refused_transitions(state, function, message, mailoutbox):
    partner = PartnerFactory(state=state)
    call = {
        "suspend": lambda: services.suspend_partner(partner=partner, reason=REASON, actor=None),
        "reactivate": lambda: services.reactivate_partner(partner=partner, actor=None),
        "terminate": lambda: services.terminate_partner(partner=partner, reason=REASON, actor=None),
    }[function]
    with pytest.raises(ValidationError) as refused:
        call()
    assert refused.value.messages == [message]
    assert Partner.objects.get().state == state and mailoutbox == []


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("  ", "Indiquez le motif : il est envoyé au partenaire."),
        ("x" * 501, "Le motif dépasse 500 caractères."),
    ],
)
def test_reason_is_required_and_bounded(reason, message):
    partner = PartnerFactory()
    for function in (services.suspend_partner, services.terminate_partner):
        with pytest.raises(ValidationError) as refused:
            function(partner=partner, reason=reason, actor=None)
        assert refused.value.messages == [message]
    assert Partner.objects.get().state == PartnerState.ACTIVE


def test_admin_suspend_asks_the_reason_then_suspends(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    partner = PartnerFactory()
    selection = {"action": "suspend", ACTION_CHECKBOX_NAME: [partner.pk]}
    page = admin_client.post(ADMIN, selection)
    assert page.status_code == 200
    assert "Motif (envoyé au partenaire)" in page.content.decode()
    refused = admin_client.post(ADMIN, {**selection, "apply": "1", "reason": ""})
    assert refused.status_code == 200 and "Ce champ est obligatoire." in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(ADMIN, {**selection, "apply": "1", "reason": REASON})
    assert done.status_code == 302
    partner.refresh_from_db()
    assert partner.state == PartnerState.SUSPENDED and partner.state_reason == REASON
    assert len(mailoutbox) == 1
    # Reactivating an active partner is refused with the service's message.
    reactivate = {"action": "reactivate", ACTION_CHECKBOX_NAME: [partner.pk]}
    admin_client.post(ADMIN, reactivate)
    assert Partner.objects.get().state == PartnerState.ACTIVE
    again = admin_client.post(ADMIN, reactivate, follow=True)
    assert "Seul un partenaire suspendu peut être réactivé." in again.content.decode()


def test_admin_terminate(admin_client, django_capture_on_commit_callbacks):
    token, _ = issue()
    selection = {"action": "terminate", ACTION_CHECKBOX_NAME: [token.partner.pk]}
    assert "définitive" in admin_client.post(ADMIN, selection).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(ADMIN, {**selection, "apply": "1", "reason": REASON})
    assert Partner.objects.get().state == PartnerState.TERMINATED
    assert ApiToken.objects.get().revoked_at is not None


def test_admin_edits_go_through_the_journaled_services(admin_client, operator):
    member = UserFactory(profile=Profile.PERSONNE_MORALE)
    created = admin_client.post(
        f"{ADMIN}add/",
        {
            "name": "Région Grand Est",
            "siret": "13002526500013",
            "technical_email": "tech@region.fr",
            "technical_phone": "0102030405",
            "business_email": "metier@region.fr",
            "business_phone": "0102030406",
            "members": [member.pk],
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    partner = Partner.objects.get()
    assert list(partner.members.all()) == [member]
    assert len(_events("partenaires.partner_created")) == 1
    form = {
        "name": "Région Grand Est",
        "siret": "13002526500013",
        "technical_email": "dsi@region.fr",
        "technical_phone": "0102030405",
        "business_email": "metier@region.fr",
        "business_phone": "0102030406",
        "members": [],
        # The state is read-only here: only the actions change it.
        "state": PartnerState.TERMINATED,
    }
    assert admin_client.post(f"{ADMIN}{partner.pk}/change/", form).status_code == 302
    partner.refresh_from_db()
    assert partner.technical_email == "dsi@region.fr"
    assert partner.state == PartnerState.ACTIVE
    assert list(partner.members.all()) == []
    [event] = _events("partenaires.partner_updated")
    assert event.data == {"champs": ["technical_email", "members"]}
    assert event.actor == operator
    # Nothing changed, nothing journaled.
    admin_client.post(f"{ADMIN}{partner.pk}/change/", form)
    assert len(_events("partenaires.partner_updated")) == 1


def test_operators_see_each_partners_usage(admin_client):
    token, _ = issue()
    other, _ = issue(PartnerFactory(siret="21540395700008", name="Autre partenaire"))
    now = timezone.now()
    for at, status, code in ((now, 200, ""), (now - dt.timedelta(minutes=1), 429, "00429")):
        CallLog.objects.create(
            token=token,
            at=at,
            method="GET",
            path=URL,
            params_hash="0" * 64,
            status_code=status,
            error_code=code,
            latency_ms=3,
            request_id=f"appel-{status}",
        )
    listing = admin_client.get(ADMIN)
    rows = {p.name: (p.calls_30, p.errors_30) for p in listing.context["cl"].result_list}
    assert rows == {token.partner.name: (2, 1), "Autre partenaire": (0, 0)}
    usage = admin_client.get(f"{ADMIN}{token.partner.pk}/utilisation/")
    assert usage.status_code == 200
    assert usage.content.decode().count("<figure") == 3
    assert "00429" in usage.content.decode()
    assert admin_client.get(f"{ADMIN}999999/utilisation/").status_code == 404


def test_usage_page_is_for_operators_only(client):
    partner = PartnerFactory()
    client.force_login(UserFactory(profile=Profile.PERSONNE_MORALE))
    response = client.get(f"{ADMIN}{partner.pk}/utilisation/")
    assert response.status_code == 302  # to the admin login
