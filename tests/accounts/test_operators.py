import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from titres.accounts.enums import HabilitationStatus, MairieRequestStatus, Profile
from titres.accounts.models import Habilitation, MairieAccountRequest, User
from titres.accounts.services.common import AccountError
from titres.accounts.services.habilitations import (
    create_habilitation,
    reactivate_habilitation,
    suspend_habilitation,
    terminate_habilitation,
)
from titres.accounts.services.mairies import create_mairie_account, refuse_mairie_request
from titres.accounts.services.suspension import reactivate_account, suspend_account
from titres.accounts.services.terms import current_terms_full
from titres.core.models import AuditEvent

from .conftest import verified_login
from .factories import (
    PASSWORD,
    HabilitationFactory,
    MairieAccountRequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Garage-Cheval-2026!"


@pytest.fixture
def operator(terms):
    return UserFactory(operator=True, username="operateur")


@pytest.fixture
def admin_client(client, operator):
    verified_login(client, operator)
    return client


def login(client, username, password=PASSWORD):
    return client.post("/compte/connexion/", {"username": username, "password": password})


# --- Temporary suspension ----------------------------------------------------


def test_suspension_mail_states_reason_and_end_date(operator, run_on_commit):
    user = UserFactory(username="camille")
    with freeze_time("2026-03-01 10:00:00"), run_on_commit():
        until = suspend_account(
            user=user, actor=operator, reason="Pièces justificatives falsifiées.", days=15
        )
    assert until == datetime.datetime(2026, 3, 16, 10, 0, tzinfo=datetime.UTC)
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Suspension temporaire de votre compte Titres"
    body = " ".join(message.body.split())
    assert "pour une durée de 15 jours" in body
    assert "Motif de la suspension : Pièces justificatives falsifiées." in body
    assert "Fin de la suspension : le 16 mars 2026 à 11:00." in body  # Paris time
    event = AuditEvent.objects.get(event="accounts.account_suspended")
    assert event.actor_id == operator.pk
    assert event.data["reason"] == "Pièces justificatives falsifiées."


@pytest.mark.parametrize(
    ("reason", "days", "message"),
    [
        ("", 3, "Le motif de la suspension est obligatoire."),
        ("Motif", 0, "La durée de la suspension doit être d’au moins un jour."),
    ],
)
def test_suspension_needs_reason_and_duration(operator, reason, days, message):
    with pytest.raises(AccountError, match=message):
        suspend_account(user=UserFactory(), actor=operator, reason=reason, days=days)


def test_suspended_user_cannot_log_in_then_is_restored_automatically(
    client, operator, run_on_commit
):
    user = UserFactory(username="camille")
    with freeze_time("2026-03-01 10:00:00") as frozen:
        suspend_account(user=user, actor=operator, reason="Contrôle.", days=2)
        page = login(client, "camille").content.decode()
        assert "Votre compte est suspendu jusqu’au 3 mars 2026 à 11:00. Motif : Contrôle." in page
        frozen.tick(datetime.timedelta(days=2, seconds=1))
        with run_on_commit():
            response = login(client, "camille")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.suspended_until is None and user.suspension_reason == ""
    assert AuditEvent.objects.filter(
        event="accounts.account_restored", object_id=str(user.pk)
    ).exists()
    assert mail.outbox[-1].subject == "Votre compte Titres est de nouveau accessible"


def test_periodic_command_restores_expired_suspensions(operator, capsys):
    ended = UserFactory(
        suspended_until=timezone.now() - datetime.timedelta(minutes=1), suspension_reason="x"
    )
    running = UserFactory(suspended=True)
    call_command("restore_suspended_accounts")
    assert "1 compte(s) rétabli(s)." in capsys.readouterr().out
    ended.refresh_from_db()
    running.refresh_from_db()
    assert ended.suspended_until is None
    assert running.suspended_until is not None


def test_restore_task_is_queued_for_the_end_of_the_suspension(operator, settings):
    from django_tasks import task_backends

    from titres.accounts.services.suspension import restore_after_suspension_task

    settings.TASKS = {
        "default": {
            **settings.TASKS["default"],
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        }
    }
    task_backends._settings = None  # reread
    try:
        backend = restore_after_suspension_task.get_backend()
        backend.clear()
        user = UserFactory()
        with freeze_time("2026-03-01 10:00:00"), _commit_callbacks():
            suspend_account(user=user, actor=operator, reason="Contrôle.", days=1)
        [result] = [r for r in backend.results if r.task.name == restore_after_suspension_task.name]
        assert result.task.run_after == datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
        assert result.kwargs == {"user_id": user.pk}
        # When it runs after the end, the account is restored.
        User.objects.filter(pk=user.pk).update(
            suspended_until=timezone.now() - datetime.timedelta(seconds=1)
        )
        restore_after_suspension_task.call(user_id=user.pk)
        user.refresh_from_db()
        assert user.suspended_until is None
    finally:
        task_backends._settings = None


class _commit_callbacks:
    """Run on_commit callbacks immediately (the dummy backend records them)."""

    def __enter__(self):
        from django.db import connection

        self.connection = connection
        self.start = len(connection.run_on_commit)

    def __exit__(self, *exc):
        for _sids, callback, _robust in self.connection.run_on_commit[self.start :]:
            callback()


def test_user_signed_in_when_suspended_is_logged_out(client, operator):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/compte/").status_code == 200
    suspend_account(user=user, actor=operator, reason="Sécurité du portail.", days=3)
    response = client.get("/compte/", follow=True)
    assert response.redirect_chain[0][0] == "/compte/connexion/"
    assert "Motif : Sécurité du portail." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_operator_reactivates_early(client, operator, run_on_commit):
    user = UserFactory(username="camille", suspended=True)
    with run_on_commit():
        reactivate_account(user=user, actor=operator)
    assert login(client, "camille").status_code == 302
    assert AuditEvent.objects.filter(
        event="accounts.account_reactivated", actor_id=operator.pk
    ).exists()
    assert mail.outbox[0].subject == "Votre compte Titres est de nouveau accessible"


def test_admin_suspend_action_with_reason_and_duration(admin_client, run_on_commit):
    user = UserFactory(username="camille")
    url = "/gestion/accounts/user/"
    form_page = admin_client.post(url, {"action": "suspend", "_selected_action": [user.pk]})
    assert "Motif de la suspension" in form_page.content.decode()
    with run_on_commit():
        admin_client.post(
            url,
            {
                "action": "suspend",
                "_selected_action": [user.pk],
                "apply": "1",
                "reason": "Usurpation suspectée.",
                "days": "10",
            },
        )
    user.refresh_from_db()
    assert user.suspension_reason == "Usurpation suspectée."
    assert user.is_suspended
    assert "Usurpation suspectée." in mail.outbox[0].body
    admin_client.post(url, {"action": "reactivate", "_selected_action": [user.pk]})
    user.refresh_from_db()
    assert not user.is_suspended


def test_admin_deletes_through_the_service(admin_client, run_on_commit):
    user = UserFactory(username="camille")
    url = "/gestion/accounts/user/"
    confirm = admin_client.post(url, {"action": "delete_accounts", "_selected_action": [user.pk]})
    assert "seront supprimés définitivement" in confirm.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    with run_on_commit():
        admin_client.post(
            url, {"action": "delete_accounts", "_selected_action": [user.pk], "apply": "1"}
        )
    assert not User.objects.filter(pk=user.pk).exists()
    event = AuditEvent.objects.get(event="accounts.account_deleted")
    assert event.data["by"] == "operator"
    # The default bulk delete (without audit) is not offered.
    changelist = admin_client.get(url).content.decode()
    assert 'value="delete_selected"' not in changelist


# --- SIV habilitations -------------------------------------------------------


def habilitation_for(operator, **overrides):
    data = {
        "number": "SIV-08-2026-0001",
        "department": "08",
        "starts_on": datetime.date(2026, 1, 1),
        "ends_on": None,
        "organisation_name": "Garage du Centre",
        "first_name": "Karim",
        "last_name": "Benali",
        "email": "garage@exemple.fr",
        "username": "garage.centre",
    }
    data.update(overrides)
    return create_habilitation(actor=operator, **data)


def first_connection_path(message):
    return re.search(r"/compte/premiere-connexion/\S+/\S+/", message.body).group(0)


def test_habilitation_creates_account_and_mails_connection_procedure(
    client, operator, run_on_commit
):
    with run_on_commit():
        habilitation = habilitation_for(operator)
    user = habilitation.user
    assert user.profile == Profile.PRO_SIV
    assert user.is_active and not user.has_usable_password()
    message = mail.outbox[0]
    assert message.to == ["garage@exemple.fr"]
    assert message.subject == "Votre compte professionnel Titres : procédure de connexion"
    assert "Votre identifiant : garage.centre" in message.body
    assert "SIV-08-2026-0001" in message.body
    path = first_connection_path(message)
    assert "Première connexion" in client.get(path).content.decode()
    client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert login(client, "garage.centre", NEW_PASSWORD).status_code == 302
    # The terms must be accepted first.
    assert client.get("/compte/").url.startswith("/compte/conditions-generales/")
    assert AuditEvent.objects.filter(event="accounts.habilitation_created").exists()
    assert AuditEvent.objects.filter(event="accounts.password_set").exists()


def test_first_connection_link_is_single_use_and_lasts_48_hours(client, operator, run_on_commit):
    with freeze_time("2026-03-01 10:00:00") as frozen:
        with run_on_commit():
            habilitation_for(operator)
        path = first_connection_path(mail.outbox[0])
        frozen.tick(datetime.timedelta(hours=47))
        assert client.get(path).status_code == 200
        frozen.tick(datetime.timedelta(hours=2))
        assert client.get(path).status_code == 404


def test_habilitation_refuses_taken_identifier(operator):
    UserFactory(username="garage.centre")
    with pytest.raises(AccountError, match="Cet identifiant est déjà utilisé"):
        habilitation_for(operator)


def test_habilitation_suspension_deactivates_and_reactivation_restores(
    client, operator, run_on_commit
):
    habilitation = HabilitationFactory(user__username="garage")
    user = habilitation.user
    with run_on_commit():
        suspend_habilitation(habilitation=habilitation, actor=operator)
    user.refresh_from_db()
    assert not user.is_active
    assert habilitation.status == HabilitationStatus.SUSPENDUE
    page = login(client, "garage").content.decode()
    assert (
        "Votre compte est désactivé car votre habilitation SIV a été suspendue par la "
        "préfecture." in page
    )
    assert mail.outbox[0].subject == "Votre habilitation SIV est suspendue"
    with pytest.raises(AccountError, match="Seule une habilitation active"):
        suspend_habilitation(habilitation=habilitation, actor=operator)
    with run_on_commit():
        reactivate_habilitation(habilitation=habilitation, actor=operator)
    user.refresh_from_db()
    assert user.is_active
    assert User.objects.filter(pk=user.pk).exists()  # same account, same files
    assert login(client, "garage").status_code == 302
    assert mail.outbox[-1].subject == "Votre habilitation SIV est réactivée"
    events = AuditEvent.objects.filter(object_type="accounts.habilitation").values_list(
        "event", flat=True
    )
    assert list(events) == ["accounts.habilitation_suspended", "accounts.habilitation_reactivated"]


def test_session_of_deactivated_professional_ends(client, operator):
    habilitation = HabilitationFactory()
    client.force_login(habilitation.user)
    suspend_habilitation(habilitation=habilitation, actor=operator)
    assert client.get("/compte/").status_code == 302


def test_habilitation_termination_deletes_account_and_data(operator, run_on_commit):
    habilitation = HabilitationFactory(email="garage@exemple.fr")
    user_pk = habilitation.user.pk
    with run_on_commit():
        terminate_habilitation(habilitation=habilitation, actor=operator)
    assert not User.objects.filter(pk=user_pk).exists()
    habilitation.refresh_from_db()
    assert habilitation.status == HabilitationStatus.RESILIEE
    assert habilitation.user is None and habilitation.email == ""
    subjects = [m.subject for m in mail.outbox]
    assert "Votre habilitation SIV est résiliée" in subjects
    assert AuditEvent.objects.filter(event="accounts.habilitation_terminated").exists()
    deleted = AuditEvent.objects.get(event="accounts.account_deleted")
    assert deleted.data["reason"] == "Résiliation de l’habilitation SIV par la préfecture"
    with pytest.raises(AccountError, match="déjà résiliée"):
        terminate_habilitation(habilitation=habilitation, actor=operator)


def test_admin_records_habilitation(admin_client, run_on_commit):
    with run_on_commit():
        response = admin_client.post(
            "/gestion/accounts/habilitation/add/",
            {
                "number": "SIV-51-2026-0007",
                "department": "51",
                "starts_on": "2026-02-01",
                "ends_on": "",
                "organisation_name": "Garage de Reims",
                "siret": "",
                "first_name": "Léa",
                "last_name": "Roux",
                "email": "reims@exemple.fr",
                "username": "garage.reims",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    habilitation = Habilitation.objects.get(number="SIV-51-2026-0007")
    assert habilitation.user.username == "garage.reims"
    assert mail.outbox[0].to == ["reims@exemple.fr"]
    admin_client.post(
        "/gestion/accounts/habilitation/",
        {"action": "suspend", "_selected_action": [habilitation.pk]},
    )
    habilitation.refresh_from_db()
    assert habilitation.status == HabilitationStatus.SUSPENDUE
    admin_client.post(
        "/gestion/accounts/habilitation/",
        {"action": "terminate", "_selected_action": [habilitation.pk]},
    )
    assert not User.objects.filter(username="garage.reims").exists()


def test_admin_habilitation_form_refuses_taken_email(admin_client):
    UserFactory(email="pris@exemple.fr")
    response = admin_client.post(
        "/gestion/accounts/habilitation/add/",
        {
            "number": "SIV-51-2026-0008",
            "department": "51",
            "starts_on": "2026-02-01",
            "organisation_name": "Garage",
            "first_name": "Léa",
            "last_name": "Roux",
            "email": "pris@exemple.fr",
            "username": "garage.x",
        },
    )
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse e-mail." in response.content.decode()


# --- Town halls --------------------------------------------------------------


def mairie_data(**overrides):
    data = {
        "commune": "Sedan",
        "insee_code": "08409",
        "department": "08",
        "dr_count": "2",
        "contact_first_name": "Claire",
        "contact_last_name": "Petit",
        "email": "etat-civil@sedan.fr",
        "phone": "03 24 27 73 73",
        "message": "",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def test_mairie_contact_form_then_operator_creates_account(
    client, admin_client, run_on_commit, operator
):
    from django.test import Client

    public = Client()
    with run_on_commit():
        response = public.post("/compte/demande-mairie/", mairie_data())
    assert response.status_code == 302
    assert mail.outbox[0].subject == "Votre demande de compte mairie est enregistrée"
    mairie_request = MairieAccountRequest.objects.get()
    assert mairie_request.phone == "+33324277373"
    url = "/gestion/accounts/mairieaccountrequest/"
    page = admin_client.post(
        url, {"action": "create_account", "_selected_action": [mairie_request.pk]}
    )
    assert "Nombre de dispositifs de recueil" in page.content.decode()
    with run_on_commit():
        admin_client.post(
            url,
            {
                "action": "create_account",
                "_selected_action": [mairie_request.pk],
                "apply": "1",
                "username": "mairie.sedan",
                "dr_count": "3",
            },
        )
    user = User.objects.get(username="mairie.sedan")
    assert user.profile == Profile.MAIRIE
    assert user.dr_count == 3
    assert user.organisation_name == "Mairie de Sedan"
    mairie_request.refresh_from_db()
    assert mairie_request.status == MairieRequestStatus.COMPTE_CREE
    assert mairie_request.user == user
    message = mail.outbox[-1]
    assert message.subject == "Le compte Titres de votre mairie est créé"
    assert "/compte/premiere-connexion/" in message.body
    with pytest.raises(AccountError, match="Cette demande a déjà été traitée."):
        create_mairie_account(mairie_request=mairie_request, actor=operator, username="autre")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"insee_code": "123"}, "insee_code", "Le code INSEE comporte 5 caractères"),
        ({"department": "99"}, "department", "Département inconnu (exemples : 08, 2A, 974)."),
        (
            {"dr_count": "0"},
            "dr_count",
            "Une mairie doit disposer d’au moins un dispositif de recueil.",
        ),
        (
            {"captcha_1": "faux"},
            "captcha",
            "Le code de sécurité saisi est incorrect. Veuillez recommencer.",
        ),
    ],
)
def test_mairie_contact_form_refusals(client, overrides, field, message):
    response = client.post("/compte/demande-mairie/", mairie_data(**overrides))
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])


def test_refuse_mairie_request(operator):
    mairie_request = MairieAccountRequestFactory()
    refuse_mairie_request(mairie_request=mairie_request, actor=operator)
    assert mairie_request.status == MairieRequestStatus.REFUSEE


@pytest.mark.parametrize(
    "url",
    [
        "/gestion/accounts/user/",
        "/gestion/accounts/habilitation/",
        "/gestion/accounts/habilitation/add/",
        "/gestion/accounts/mairieaccountrequest/",
        "/gestion/accounts/termsversion/",
        "/gestion/accounts/termsversion/add/",
    ],
)
def test_admin_pages_open(admin_client, url):
    HabilitationFactory()
    MairieAccountRequestFactory()
    assert admin_client.get(url).status_code == 200


def test_admin_publishes_terms_version(admin_client, terms):
    response = admin_client.post(
        "/gestion/accounts/termsversion/add/",
        {
            "title": "Conditions générales d’utilisation",
            "text": "## Nouveau\n\nTexte.",
            "summary_of_changes": "Tout.",
            "published_at_0": "2020-01-01",
            "published_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302
    assert current_terms_full().version == 2
    assert AuditEvent.objects.filter(event="accounts.terms_published").exists()
    # Published versions are evidence: they cannot be changed.
    page = admin_client.get(f"/gestion/accounts/termsversion/{terms.pk}/change/")
    assert 'name="text"' not in page.content.decode()


def test_user_admin_change_page_opens(admin_client):
    user = UserFactory()
    assert admin_client.get(f"/gestion/accounts/user/{user.pk}/change/").status_code == 200
