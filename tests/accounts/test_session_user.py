"""The account read on every request of a signed-in person: the session's
backend loads it with a query compiled once per process
(`backends.account_by_pk`, issue 17), and every refusal of Django's own
`ModelBackend.get_user` and session check still happens on the next
request."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.test import Client

from titres.accounts.backends import SESSION_BACKEND, LockoutModelBackend, account_by_pk
from titres.accounts.models import User
from titres.accounts.services.habilitations import suspend_habilitation
from titres.accounts.services.suspension import suspend_account

from .factories import PASSWORD, HabilitationFactory, UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT = "/compte/"
LOGIN = "/compte/connexion/"


def signed_in(user, backend=SESSION_BACKEND) -> Client:
    client = Client()
    client.force_login(user, backend=backend)
    assert client.get(ACCOUNT).status_code == 200
    return client


def assert_signed_out(client):
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_the_portal_login_names_the_session_backend(terms):
    user = UserFactory(username="camille")
    client = Client()
    response = client.post(LOGIN, {"username": "camille", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == SESSION_BACKEND
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(ACCOUNT).context["user"] == user


def test_the_account_read_is_the_orms():
    user = UserFactory(first_name="Émilie", phone="+33611111111", operator=True)
    expected = User.objects.get(pk=user.pk)
    got = account_by_pk(user.pk)
    assert type(got) is User
    fields = [f.attname for f in User._meta.concrete_fields]
    assert [getattr(got, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert got._state.db == "default"
    assert got._state.adding is False
    assert account_by_pk(user.pk + 1000) is None


def test_one_query_per_request_for_the_account(django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(1):
        assert LockoutModelBackend().get_user(user.pk) == user


@pytest.mark.parametrize("backend", [SESSION_BACKEND, "django.contrib.auth.backends.ModelBackend"])
def test_an_account_deactivated_is_refused_on_the_next_request(backend):
    user = UserFactory()
    client = signed_in(user, backend)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert_signed_out(client)
    assert LockoutModelBackend().get_user(user.pk) is None
    assert ModelBackend().get_user(user.pk) is None


@pytest.mark.parametrize("backend", [SESSION_BACKEND, "django.contrib.auth.backends.ModelBackend"])
def test_an_account_deleted_is_refused_on_the_next_request(backend):
    user = UserFactory()
    client = signed_in(user, backend)
    User.objects.filter(pk=user.pk).delete()
    assert_signed_out(client)


def test_a_password_changed_elsewhere_ends_the_session():
    user = UserFactory()
    client = signed_in(user)
    user.set_password("Un-autre-mot-de-passe-2026!")
    user.save()
    assert_signed_out(client)
    assert SESSION_KEY not in client.session


def test_a_session_without_its_hash_is_refused():
    client = signed_in(UserFactory())
    session = client.session
    del session[HASH_SESSION_KEY]
    session.save()
    assert_signed_out(client)


def test_a_session_naming_an_unlisted_backend_is_refused(settings):
    client = signed_in(UserFactory())
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    assert_signed_out(client)


def test_a_suspension_ends_the_session_on_the_next_request():
    user = UserFactory()
    client = signed_in(user)
    operator = UserFactory(operator=True)
    suspend_account(user=user, actor=operator, reason="Sécurité du portail.", days=3)
    response = client.get(ACCOUNT, follow=True)
    assert response.redirect_chain[0][0] == LOGIN
    assert "Motif : Sécurité du portail." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_professional_whose_habilitation_is_suspended_is_signed_out(run_on_commit):
    habilitation = HabilitationFactory()
    client = signed_in(habilitation.user)
    with run_on_commit():
        suspend_habilitation(habilitation=habilitation, actor=UserFactory(operator=True))
    assert_signed_out(client)
