"""The operators' admin (/gestion/): second factor, the portal's lockout,
journal of every change; journal hygiene of failed logins."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import RequestFactory, override_settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from titres.accounts import demo, lockout
from titres.accounts.models import User
from titres.core.models import AuditEvent

from .conftest import totp_code, verified_login
from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

BACKENDS = [
    "titres.accounts.backends.LockoutModelBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN = "/gestion/login/"
TOKEN_REQUIRED = (
    "Saisissez le code à usage unique de votre application d’authentification "
    "(ou un code de secours)."
)
TOKEN_WRONG = "Code à usage unique incorrect. Vérifiez-le et réessayez."
ACCOUNT_LOCKED = (
    "Trop de tentatives de connexion infructueuses sur cet identifiant. Par sécurité, la "
    "connexion est bloquée pendant 1 min"
)


@pytest.fixture
def operator(terms):
    user = UserFactory(operator=True, username="operateur")
    TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    return user


def admin_login(client, username, password=PASSWORD, *, device=None, token="", ip="192.0.2.1"):
    data = {"username": username, "password": password, "next": "/gestion/"}
    if device is not None:
        data["otp_device"] = device.persistent_id
    if token:
        data["otp_token"] = token
    return client.post(LOGIN, data, REMOTE_ADDR=ip)


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


# --- Second factor ------------------------------------------------------------------


def test_staff_without_a_verified_device_cannot_reach_the_admin(client, operator):
    client.force_login(operator)  # password only
    response = client.get("/gestion/")
    assert response.status_code == 302
    assert response["Location"].startswith("/gestion/login/")
    assert client.get("/gestion/accounts/user/").status_code == 302


def test_password_alone_is_not_enough(client, operator):
    response = admin_login(client, "operateur")
    assert response.status_code == 200
    assert TOKEN_REQUIRED in page_text(response)
    assert client.get("/gestion/").status_code == 302


def test_wrong_code_is_refused(client, operator):
    device = operator.totpdevice_set.get()
    response = admin_login(client, "operateur", device=device, token="000000")
    assert TOKEN_WRONG in page_text(response)
    assert client.get("/gestion/").status_code == 302


def test_password_and_code_open_the_admin(client, operator):
    device = operator.totpdevice_set.get()
    response = admin_login(client, "operateur", device=device, token=totp_code(device))
    assert response.status_code == 302
    assert response["Location"] == "/gestion/"
    assert client.get("/gestion/").status_code == 200
    assert client.get("/gestion/accounts/user/").status_code == 200


def test_staff_without_any_device_cannot_log_in(client, terms):
    UserFactory(operator=True, username="sansdispositif")
    response = admin_login(client, "sansdispositif", token="123456")
    assert response.status_code == 200
    assert client.get("/gestion/").status_code == 302


def test_verified_session_of_a_non_staff_user_is_refused(client, terms):
    verified_login(client, UserFactory())
    assert client.get("/gestion/").status_code == 302


def test_demo_operator_has_a_known_totp_key_and_backup_code(client, settings):
    settings.DEBUG = True
    credentials = demo.load()
    demo.load()  # idempotent
    operator = User.objects.get(username="operateur")
    (totp,) = TOTPDevice.objects.filter(user=operator)
    assert totp.confirmed
    static = StaticDevice.objects.get(user=operator)
    assert list(static.token_set.values_list("token", flat=True)) == [demo.OPERATOR_BACKUP_CODE]
    note = next(c.note for c in credentials if c.identifier == "operateur")
    assert demo.OPERATOR_TOTP_SECRET in note
    assert demo.OPERATOR_BACKUP_CODE in note
    response = admin_login(
        client,
        "operateur",
        demo.OPERATOR_PASSWORD,
        device=static,
        token=demo.OPERATOR_BACKUP_CODE,
    )
    assert response.status_code == 302
    assert client.get("/gestion/").status_code == 200
    # The TOTP key printed is the device's.
    client.logout()
    response = admin_login(
        client, "operateur", demo.OPERATOR_PASSWORD, device=totp, token=totp_code(totp)
    )
    assert response.status_code == 302


# --- The portal's lockout at the admin login ------------------------------------


@override_settings(AUTHENTICATION_BACKENDS=BACKENDS)
def test_admin_login_failures_lock_like_the_portal(client, operator, settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 3
    settings.ACCOUNT_LOCKOUT_BASE_SECONDS = 60
    device = operator.totpdevice_set.get()
    for _ in range(2):
        assert "Veuillez compléter correctement les champs" in page_text(
            admin_login(client, "operateur", "faux")
        )
    third = admin_login(client, "operateur", "faux")
    assert ACCOUNT_LOCKED in page_text(third)
    # Even the right password and a right code are refused while locked...
    locked = admin_login(client, "operateur", device=device, token=totp_code(device))
    assert ACCOUNT_LOCKED in page_text(locked)
    assert client.get("/gestion/").status_code == 302
    # ... and the portal login too: one counter for both doors.
    portal = client.post(
        "/compte/connexion/", {"username": "operateur", "password": PASSWORD}
    ).content.decode()
    assert "la connexion est bloquée pendant" in portal
    assert AuditEvent.objects.filter(event="accounts.login_failed").count() == 3
    assert AuditEvent.objects.filter(event="accounts.account_locked").count() == 1


@override_settings(AUTHENTICATION_BACKENDS=BACKENDS)
def test_portal_failures_count_once(client, operator, settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 3
    for _ in range(2):
        client.post(
            "/compte/connexion/",
            {"username": "operateur", "password": "faux"},
            REMOTE_ADDR="192.0.2.10",
        )
    assert lockout.current_lock(lockout.account_key(user=operator), "x") is None
    assert AuditEvent.objects.filter(event="accounts.login_failed").count() == 2
    # The third failure, at the admin, locks: 2 + 1.
    admin_login(client, "operateur", "faux", ip="x")
    assert lockout.current_lock(lockout.account_key(user=operator), "x").scope == "account"


@override_settings(AUTHENTICATION_BACKENDS=BACKENDS)
def test_backend_clears_the_counter_on_success_and_stops_the_chain_when_locked(operator, settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 2
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().post(LOGIN, REMOTE_ADDR="192.0.2.9")
    request.user = AnonymousUser()
    assert authenticate(request, username="operateur", password="faux") is None
    assert authenticate(request, username="Operateur", password=PASSWORD) == operator
    assert authenticate(request, username="operateur", password="faux") is None
    assert (
        lockout.current_lock(lockout.account_key(user=operator), None) is None
    )  # cleared by the success
    assert authenticate(request, username="operateur", password="faux") is None
    # Locked: ModelBackend, listed after, does not get to accept the password.
    assert authenticate(request, username="operateur", password=PASSWORD) is None
    assert "bloquée" in request.accounts_lock_message


# --- Journal hygiene of failed logins ------------------------------------------------


def test_failed_login_journals_the_identifier_only_for_an_existing_account(client, terms):
    UserFactory(username="camille")
    client.post("/compte/connexion/", {"username": "CAMILLE", "password": "faux"})
    client.post("/compte/connexion/", {"username": "Mon-Mot-De-Passe-2026!", "password": "x"})
    known, unknown = AuditEvent.objects.filter(event="accounts.login_failed").order_by("sequence")
    assert known.data == {"identifier": "camille"}
    assert unknown.data == {}
    assert not AuditEvent.objects.filter(data__icontains="Mon-Mot-De-Passe").exists()


def test_lock_event_of_an_unknown_identifier_keeps_no_identifier(client, settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 2
    for _ in range(2):
        client.post("/compte/connexion/", {"username": "Secret-Tape-2026!", "password": "x"})
    event = AuditEvent.objects.get(event="accounts.account_locked")
    assert "identifier" not in event.data
    assert event.data["scope"] == "account"


# --- Changes made in the admin are journaled ---------------------------------------


@pytest.fixture
def admin_client(client, operator):
    verified_login(client, operator)
    return client


def change_form_data(response) -> dict:
    """The change form as the browser would post it back unchanged."""
    data = {}

    def add(form, name, field):
        if field.disabled:
            return
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None:
            return
        widget = field.widget
        if hasattr(widget, "widgets") and not isinstance(value, (list, tuple)):
            # Split date and time: one input each.
            value = widget.decompress(value)
            for index, part in enumerate(value):
                data[f"{key}_{index}"] = "" if part is None else str(part)
            return
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[key] = str(getattr(value, "pk", value))

    form = response.context["adminform"].form
    for name, field in form.fields.items():
        add(form, name, field)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for subform in formset.forms:
            for name, field in subform.fields.items():
                add(subform, name, field)
    return data


def test_admin_change_of_an_account_is_journaled(admin_client, operator):
    user = UserFactory(username="camille")
    group = Group.objects.create(name="Support")
    permission = Permission.objects.get(codename="view_user")
    url = f"/gestion/accounts/user/{user.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data.update(
        {
            "last_name": "Dupont",
            "is_staff": "on",
            "groups": [str(group.pk)],
            "user_permissions": [str(permission.pk)],
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(event="accounts.admin_changed")
    assert event.actor_id == operator.pk
    assert event.object_id == str(user.pk)
    assert set(event.data["fields"]) == {"last_name", "is_staff"}
    assert event.data["is_staff"] is True
    assert event.data["groups_added"] == ["Support"]
    assert event.data["permissions_added"] == ["accounts.view_user"]
    assert "Dupont" not in str(event.data)  # names of fields, not values

    data["groups"] = []
    data.pop("user_permissions")
    admin_client.post(url, data)
    withdrawn = AuditEvent.objects.filter(event="accounts.admin_changed").last()
    assert withdrawn.data["groups_removed"] == ["Support"]
    assert withdrawn.data["permissions_removed"] == ["accounts.view_user"]


def test_unchanged_save_journals_nothing(admin_client):
    user = UserFactory(username="camille")
    url = f"/gestion/accounts/user/{user.pk}/change/"
    admin_client.post(url, change_form_data(admin_client.get(url)))
    assert not AuditEvent.objects.filter(event="accounts.admin_changed").exists()


def test_admin_password_change_is_journaled_and_told(admin_client, operator, run_on_commit):
    user = UserFactory(username="camille", email="camille@exemple.fr")
    new = "Operateur-Change-2026!"
    with run_on_commit():
        response = admin_client.post(
            f"/gestion/accounts/user/{user.pk}/password/",
            {"password1": new, "password2": new, "usable_password": "true"},
        )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    event = AuditEvent.objects.get(event="accounts.admin_changed")
    assert event.actor_id == operator.pk
    assert event.data == {"fields": ["password"], "password_usable": True}
    assert [m.to for m in mail.outbox] == [["camille@exemple.fr"]]


def test_stock_delete_page_is_closed(admin_client):
    user = UserFactory(username="camille")
    assert admin_client.get(f"/gestion/accounts/user/{user.pk}/delete/").status_code == 403
    assert admin_client.post(f"/gestion/accounts/user/{user.pk}/delete/", {"post": "yes"})
    assert User.objects.filter(pk=user.pk).exists()
    changelist = admin_client.get("/gestion/accounts/user/").content.decode()
    assert 'value="delete_accounts"' in changelist
    assert 'value="delete_selected"' not in changelist


def test_delete_action_needs_the_delete_permission(client, terms):
    staff = UserFactory(is_staff=True, username="support", permissions=["accounts.view_user"])
    staff.user_permissions.add(Permission.objects.get(codename="change_user"))
    verified_login(client, staff)
    changelist = client.get("/gestion/accounts/user/").content.decode()
    assert 'value="suspend"' in changelist
    assert 'value="delete_accounts"' not in changelist


def test_group_permission_changes_are_journaled(admin_client):
    permission = Permission.objects.get(codename="change_user")
    response = admin_client.post(
        "/gestion/auth/group/add/", {"name": "Support", "permissions": [str(permission.pk)]}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(event="accounts.admin_group_changed")
    assert event.data["created"] is True
    assert event.data["permissions_added"] == ["accounts.change_user"]


def test_mairie_request_cannot_be_deleted_and_changes_are_journaled(admin_client):
    from .factories import MairieAccountRequestFactory

    mairie_request = MairieAccountRequestFactory()
    url = f"/gestion/accounts/mairieaccountrequest/{mairie_request.pk}/"
    assert admin_client.get(url + "delete/").status_code == 403
    data = change_form_data(admin_client.get(url + "change/"))
    data["dr_count"] = "7"
    assert admin_client.post(url + "change/", data).status_code == 302
    event = AuditEvent.objects.get(event="accounts.mairie_request_updated")
    assert event.data == {"fields": ["dr_count"]}


def test_unpublished_terms_correction_is_journaled(admin_client):
    import datetime

    from django.utils import timezone

    from .factories import TermsVersionFactory

    future = TermsVersionFactory(published_at=timezone.now() + datetime.timedelta(days=3))
    url = f"/gestion/accounts/termsversion/{future.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["title"] = "CGU corrigées"
    assert admin_client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(event="accounts.terms_updated")
    assert event.data["version"] == future.version
    assert "title" in event.data["fields"]  # (published_at loses its microseconds)


# --- Agents' second-factor secrets ------------------------------------------------


def test_an_operator_cannot_read_an_agents_totp_secret(client, operator):
    """The key, its QR code and configuration URL would hand the operator the
    agent's second factor: the admin refuses them, whatever the device."""
    verified_login(client, operator)
    agent_device = TOTPDevice.objects.create(
        user=UserFactory(username="agent.otp"), name="Téléphone", confirmed=True
    )
    base = f"/gestion/otp_totp/totpdevice/{agent_device.pk}"
    assert client.get(f"{base}/config/").status_code == 403
    assert client.get(f"{base}/qrcode/").status_code == 403
    assert (
        client.get(f"/gestion/otp_totp/totpdevice/{agent_device.pk + 999}/config/").status_code
        == 403
    )
    change = client.get(f"{base}/change/")
    assert change.status_code == 200
    assert agent_device.key not in change.content.decode()
