"""Security review, item 10b: with an agent's password alone an attacker
enrolled their own authenticator. The first enrolment now needs an e-mailed
single-use link or an operator's activation code, bound to the account,
journaled, refused when reused, replaced or expired."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from tests.accounts.conftest import verified_login
from titres.core.models import AuditEvent
from titres.instruction import enrolment
from titres.instruction.models import OtpEnrolment

from .conftest import totp_code
from .factories import AgentMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ENROL = "/agent/securite/enrolement/"
PASSWORD = "Motdepasse-solide-2024"


@pytest.fixture
def operator(db):
    return UserFactory(username="operateur.enrolement", operator=True)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def admin(operator) -> Client:
    client = Client()
    verified_login(client, operator)
    return client


@pytest.fixture
def new_agent(authority):
    user = AgentMembershipFactory(
        authority=authority, user=UserFactory(username="nouvel.agent", email="agent@prefecture.fr")
    ).user
    user.set_password(PASSWORD)
    user.save()
    return user


def password_step(user) -> Client:
    client = Client()
    response = client.post(
        reverse("instruction:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.url == ENROL
    return client


def mailed_link(run_on_commit, user, operator) -> str:
    with run_on_commit():
        enrolment.issue_link(user=user, actor=operator)
    body = mail.outbox[-1].body
    return re.search(r"https?://\S+(/agent/securite/enrolement/lien/\S+/)", body).group(1)


def events(code):
    return list(AuditEvent.objects.filter(event=code).order_by("pk"))


def enrol_with_qr(client, user):
    page = client.get(ENROL).content.decode()
    assert "data:image/svg+xml" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"token": totp_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


# --- the password alone -----------------------------------------------------------


def test_password_alone_shows_no_qr_code_and_makes_no_secret(new_agent):
    client = password_step(new_agent)
    response = client.get(ENROL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "data:image/svg+xml" not in page
    assert "Votre mot de passe ne suffit pas pour l’enregistrer" in page
    assert "Code d’activation" in page
    assert not TOTPDevice.objects.filter(user=new_agent).exists()
    # A code posted to confirm a device that does not exist opens nothing.
    response = client.post(ENROL, {"token": "123456"})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=new_agent).exists()
    assert client.get(reverse("instruction:home")).url == ENROL


# --- the e-mailed link ---------------------------------------------------------------


def test_mailed_link_then_qr_code_then_home(new_agent, operator, run_on_commit):
    link = mailed_link(run_on_commit, new_agent, operator)
    message = mail.outbox[-1]
    assert message.to == ["agent@prefecture.fr"]
    assert message.subject == "Enregistrez votre application d’authentification (espace agent)"
    assert "expire dans 24 heures" in message.body
    client = password_step(new_agent)
    response = client.get(link)
    assert response.url == ENROL
    device = enrol_with_qr(client, new_agent)
    assert client.get(reverse("instruction:home")).status_code == 302  # to the work list
    row = OtpEnrolment.objects.get(user=new_agent)
    assert row.used_at and row.completed_at
    assert row.digest and row.digest not in link  # only a keyed digest is kept
    assert [e.data["kind"] for e in events("instruction.otp_enrolment_issued")] == ["lien"]
    assert len(events("instruction.otp_enrolment_redeemed")) == 1
    enrolled = events("instruction.otp_enrolled")[-1]
    assert enrolled.data == {"enrolment": row.pk, "kind": "lien"}
    assert enrolled.object_id == str(device.pk)


def test_link_opened_before_signing_in_is_used_after_the_password(
    new_agent, operator, run_on_commit
):
    link = mailed_link(run_on_commit, new_agent, operator)
    client = Client()
    response = client.get(link)
    assert response.url == reverse("instruction:login")
    # A mail scanner opening the link uses nothing.
    assert OtpEnrolment.objects.get().used_at is None
    response = client.post(
        reverse("instruction:login"), {"username": new_agent.username, "password": PASSWORD}
    )
    assert response.url == ENROL
    enrol_with_qr(client, new_agent)


def test_reused_link_is_refused(new_agent, operator, run_on_commit):
    link = mailed_link(run_on_commit, new_agent, operator)
    client = password_step(new_agent)
    client.get(link)
    again = password_step(new_agent).get(link)
    assert again.status_code == 410
    assert (
        "Ce lien d’enrôlement a déjà été utilisé : chaque lien ne sert qu’une fois. Demandez un "
        "nouveau lien à votre opérateur." in again.content.decode()
    )
    assert events("instruction.otp_enrolment_refused")[-1].data["reason"] == "used"


def test_expired_link_is_refused_with_its_date(new_agent, operator, run_on_commit):
    with freeze_time("2026-03-02 09:00:00"):
        link = mailed_link(run_on_commit, new_agent, operator)
    with freeze_time("2026-03-03 09:00:01"):
        response = password_step(new_agent).get(link)
    assert response.status_code == 410
    assert (
        "Ce lien d’enrôlement a expiré le 03/03/2026 à 10:00. Demandez un nouveau lien à votre "
        "opérateur." in response.content.decode()
    )
    assert events("instruction.otp_enrolment_refused")[-1].data["reason"] == "expired"
    assert not TOTPDevice.objects.filter(user=new_agent).exists()


def test_replaced_link_is_refused(new_agent, operator, run_on_commit):
    old = mailed_link(run_on_commit, new_agent, operator)
    new = mailed_link(run_on_commit, new_agent, operator)
    response = password_step(new_agent).get(old)
    assert response.status_code == 410
    assert (
        "Ce lien d’enrôlement a été remplacé par un lien ou un code plus récent. Utilisez le "
        "dernier reçu." in response.content.decode()
    )
    assert password_step(new_agent).get(new).url == ENROL


def test_link_of_another_agent_is_refused(new_agent, operator, authority, run_on_commit):
    link = mailed_link(run_on_commit, new_agent, operator)
    thief = AgentMembershipFactory(authority=authority).user
    thief.set_password(PASSWORD)
    thief.save()
    response = password_step(thief).get(link)
    assert response.status_code == 403
    assert (
        "Ce lien d’enrôlement a été envoyé pour un autre compte. Déconnectez-vous, puis "
        "connectez-vous avec le compte de l’agent qui l’a reçu." in response.content.decode()
    )
    refusal = events("instruction.otp_enrolment_refused")[-1]
    assert refusal.data["reason"] == "other_account"
    assert refusal.actor_id == thief.pk
    # Still usable by its agent.
    assert OtpEnrolment.objects.get().used_at is None
    assert password_step(new_agent).get(link).url == ENROL


def test_unknown_link_is_refused(new_agent):
    response = password_step(new_agent).get(ENROL + "lien/inconnu/")
    assert response.status_code == 404
    assert (
        "Ce lien d’enrôlement n’est pas valide. Ouvrez le lien complet du dernier courriel reçu, "
        "ou demandez un nouveau lien à votre opérateur." in response.content.decode()
    )


def test_link_after_enrolment_says_the_app_is_registered(new_agent, operator, run_on_commit, agent):
    # An agent already enrolled cannot be given a link (the operator removes the device first).
    with pytest.raises(enrolment.EnrolmentRefused) as refused:
        enrolment.issue_link(user=agent, actor=operator)
    assert refused.value.message.startswith("Cet agent a déjà une application d’authentification")


def test_link_is_only_for_agents(operator):
    with pytest.raises(enrolment.EnrolmentRefused) as refused:
        enrolment.issue_link(user=UserFactory(), actor=operator)
    assert refused.value.message == "Ce compte n’est pas un compte d’agent."


def test_a_citizen_opening_a_link_gets_403(new_agent, operator, run_on_commit):
    link = mailed_link(run_on_commit, new_agent, operator)
    client = Client()
    client.force_login(UserFactory())
    assert client.get(link).status_code == 403


def test_mail_made_after_the_link_was_replaced_is_not_sent(new_agent, operator, run_on_commit):
    first = enrolment.issue_link(user=new_agent, actor=operator)
    enrolment.issue_code(user=new_agent, actor=operator)
    assert enrolment.make_link_token(first.pk) is None


# --- the activation code ---------------------------------------------------------------


def test_activation_code_then_qr_code(new_agent, operator):
    code = enrolment.issue_code(user=new_agent, actor=operator)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    client = password_step(new_agent)
    response = client.post(ENROL, {"activation_code": code.lower().replace("-", " ")})
    assert response.url == ENROL
    enrol_with_qr(client, new_agent)
    assert events("instruction.otp_enrolled")[-1].data["kind"] == "code"


@pytest.mark.parametrize(
    ("setup", "message", "reason"),
    [
        (
            "wrong",
            "Code d’activation incorrect. Vérifiez-le ou demandez un nouveau code à votre "
            "opérateur.",
            "unknown",
        ),
        (
            "used",
            "Ce code d’activation a déjà été utilisé : chaque code ne sert qu’une fois. "
            "Demandez un nouveau code à votre opérateur.",
            "used",
        ),
        (
            "replaced",
            "Ce code d’activation a été remplacé par un lien ou un code plus récent. Utilisez le "
            "dernier reçu.",
            "replaced",
        ),
        (
            "other_account",
            "Code d’activation incorrect. Vérifiez-le ou demandez un nouveau code à votre "
            "opérateur.",
            "other_account",
        ),
    ],
)
def test_activation_code_refusals(new_agent, operator, authority, setup, message, reason):
    code = enrolment.issue_code(user=new_agent, actor=operator)
    agent = new_agent
    if setup == "wrong":
        code = "AAAA-AAAA-AAAA"
    elif setup == "used":
        password_step(new_agent).post(ENROL, {"activation_code": code})
    elif setup == "replaced":
        enrolment.issue_code(user=new_agent, actor=operator)
    elif setup == "other_account":
        agent = AgentMembershipFactory(authority=authority).user
        agent.set_password(PASSWORD)
        agent.save()
    client = password_step(agent)
    response = client.post(ENROL, {"activation_code": code})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "data:image/svg+xml" not in page
    assert events("instruction.otp_enrolment_refused")[-1].data["reason"] == reason
    assert enrolment.SESSION_KEY not in client.session


def test_expired_activation_code(new_agent, operator):
    with freeze_time("2026-03-02 09:00:00"):
        code = enrolment.issue_code(user=new_agent, actor=operator)
    with freeze_time("2026-03-03 09:00:01"):
        response = password_step(new_agent).post(ENROL, {"activation_code": code})
    assert (
        "Ce code d’activation a expiré le 03/03/2026 à 10:00. Demandez un nouveau code à votre "
        "opérateur." in response.content.decode()
    )


def test_activation_code_attempts_are_limited(new_agent, operator):
    code = enrolment.issue_code(user=new_agent, actor=operator)
    client = password_step(new_agent)
    for _ in range(10):
        client.post(ENROL, {"activation_code": "AAAA-AAAA-AAAA"})
    response = client.post(ENROL, {"activation_code": code})  # even the right one
    assert response.status_code == 429
    assert (
        "Trop de liens ou de codes d’activation ont été essayés. Par sécurité, réessayez dans "
        "une heure." in response.content.decode()
    )
    assert events("instruction.otp_enrolment_refused")[-1].data["reason"] == "limited"


def test_a_secret_shown_before_the_proof_is_void(new_agent, operator):
    # A device left unconfirmed (e.g. made by the old password-only page) is replaced.
    stale = TOTPDevice.objects.create(user=new_agent, name="ancien", confirmed=False)
    code = enrolment.issue_code(user=new_agent, actor=operator)
    client = password_step(new_agent)
    client.post(ENROL, {"activation_code": code})
    assert not TOTPDevice.objects.filter(pk=stale.pk).exists()
    response = client.post(ENROL, {"token": totp_code(stale)})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=new_agent, confirmed=True).exists()


def test_proof_belongs_to_the_session(new_agent, operator):
    code = enrolment.issue_code(user=new_agent, actor=operator)
    password_step(new_agent).post(ENROL, {"activation_code": code})
    # The thief's own session (same password) still has no QR code.
    page = password_step(new_agent).get(ENROL).content.decode()
    assert "data:image/svg+xml" not in page


# --- the operators' admin -------------------------------------------------------------


def test_operator_mails_a_link_from_the_admin(new_agent, operator, run_on_commit):
    client = admin(operator)
    membership = new_agent.agent_memberships.get()
    with run_on_commit():
        response = client.post(
            "/gestion/instruction/agentmembership/",
            {"action": "send_enrolment_link", "_selected_action": [membership.pk]},
            follow=True,
        )
    assert "1 lien d’enrôlement envoyé ; tout lien ou code précédent est annulé." in (
        response.content.decode()
    )
    assert mail.outbox[-1].to == ["agent@prefecture.fr"]
    issued = events("instruction.otp_enrolment_issued")[-1]
    assert issued.actor_id == operator.pk


def test_operator_gets_an_activation_code_shown_once(new_agent, operator):
    client = admin(operator)
    membership = new_agent.agent_memberships.get()
    response = client.post(
        "/gestion/instruction/agentmembership/",
        {"action": "give_activation_code", "_selected_action": [membership.pk]},
    )
    page = response.content.decode()
    code = re.search(r"<code>([A-Z2-9-]{14})</code>", page).group(1)
    assert "Ces codes ne seront plus affichés." in page
    assert code not in client.get("/gestion/instruction/otpenrolment/").content.decode()
    assert password_step(new_agent).post(ENROL, {"activation_code": code}).url == ENROL


def test_operator_reissue_refused_for_an_enrolled_agent(agent, operator):
    client = admin(operator)
    response = client.post(
        "/gestion/instruction/agentmembership/",
        {"action": "give_activation_code", "_selected_action": [agent.agent_memberships.get().pk]},
        follow=True,
    )
    assert "Cet agent a déjà une application d’authentification enregistrée" in (
        response.content.decode()
    )
    assert not OtpEnrolment.objects.exists()


def test_an_operator_without_the_permission_sees_no_enrolment_action(new_agent):
    staff = UserFactory(is_staff=True, permissions=["instruction.view_agentmembership"])
    client = Client()
    verified_login(client, staff)
    response = client.post(
        "/gestion/instruction/agentmembership/",
        {
            "action": "give_activation_code",
            "_selected_action": [new_agent.agent_memberships.get().pk],
        },
    )
    assert not OtpEnrolment.objects.exists()
    assert response.status_code in (200, 302)
