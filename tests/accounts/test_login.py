import pytest
from django.urls import reverse

from titres.core.models import AuditEvent

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/compte/connexion/"
INVALID = "Identifiant ou mot de passe incorrect."


def post_login(client, username, password=PASSWORD, ip="192.0.2.1", **extra):
    return client.post(URL, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


def test_login_page_has_franceconnect_area_and_recovery_links(client):
    page = client.get(URL).content.decode()
    assert "Se connecter avec FranceConnect" in page
    assert 'href="/compte/identifiant-oublie/"' in page
    assert 'href="/compte/mot-de-passe-oublie/"' in page
    assert "Me connecter" in page


def test_login_with_identifier_and_password(client):
    user = UserFactory(username="camille")
    response = post_login(client, "Camille")  # identifiers are case-insensitive
    assert response.status_code == 302
    assert response.url == "/tableau-de-bord/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(event="accounts.login", actor_id=user.pk).exists()


def test_login_follows_a_safe_next_only(client):
    UserFactory(username="camille")
    assert post_login(client, "camille", next="/compte/").url == "/compte/"
    client.logout()
    assert post_login(client, "camille", next="https://evil.example/").url == "/tableau-de-bord/"


@pytest.mark.parametrize("username", ["camille", "inconnu"])
def test_wrong_password_or_unknown_identifier_same_message(client, username):
    UserFactory(username="camille")
    response = post_login(client, username, "Mauvais-Mot-2026!")
    assert response.status_code == 200
    assert INVALID in response.content.decode()
    assert AuditEvent.objects.filter(event="accounts.login_failed").count() == 1


def test_account_lockout_is_progressive(client, settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 3
    settings.ACCOUNT_LOCKOUT_BASE_SECONDS = 60
    UserFactory(username="camille")
    for _ in range(2):
        assert INVALID in post_login(client, "camille", "faux").content.decode()
    third = post_login(client, "camille", "faux").content.decode()
    assert (
        "Trop de tentatives de connexion infructueuses sur cet identifiant. Par sécurité, "
        "la connexion est bloquée pendant 1 min" in third
    )
    # Even the right password is refused while locked, from any address.
    locked = post_login(client, "camille", ip="198.51.100.7").content.decode()
    assert "la connexion est bloquée pendant 1 min" in locked
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event="accounts.account_locked").count() == 1


def test_lock_duration_doubles_and_ends(client, settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 2
    settings.ACCOUNT_LOCKOUT_BASE_SECONDS = 60
    UserFactory(username="camille")
    from freezegun import freeze_time

    with freeze_time("2026-03-01 10:00:00") as frozen:
        post_login(client, "camille", "faux")
        assert "bloquée pendant 1 min" in post_login(client, "camille", "faux").content.decode()
        frozen.tick(61)
        # Third failure: twice as long.
        assert "bloquée pendant 2 min" in post_login(client, "camille", "faux").content.decode()
        frozen.tick(121)
        response = post_login(client, "camille")
    assert response.status_code == 302


def test_lockout_counts_unknown_identifiers_too(client, settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 2
    post_login(client, "personne", "faux")
    response = post_login(client, "personne", "faux")
    assert "Trop de tentatives de connexion infructueuses sur cet identifiant." in (
        response.content.decode()
    )


def test_success_resets_the_account_counter(client, settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 3
    UserFactory(username="camille")
    post_login(client, "camille", "faux")
    post_login(client, "camille", "faux")
    assert post_login(client, "camille").status_code == 302
    client.logout()
    post_login(client, "camille", "faux")
    post_login(client, "camille", "faux")
    assert post_login(client, "camille").status_code == 302


def test_ip_lockout_across_identifiers(client, settings):
    settings.IP_LOCKOUT_THRESHOLD = 4
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 10
    UserFactory(username="camille")
    for index in range(3):
        post_login(client, f"essai{index}", "faux", ip="203.0.113.9")
    response = post_login(client, "essai9", "faux", ip="203.0.113.9")
    message = (
        "Trop de tentatives de connexion infructueuses depuis votre adresse réseau. Par "
        "sécurité, les connexions sont bloquées pendant 1 min"
    )
    assert message in response.content.decode()
    assert message in post_login(client, "camille", ip="203.0.113.9").content.decode()
    # Another address is not affected.
    assert post_login(client, "camille", ip="203.0.113.10").status_code == 302


def test_suspended_account_gets_reason_and_end_date(client):
    user = UserFactory(username="camille", suspended=True)
    response = post_login(client, "camille")
    page = response.content.decode()
    assert "Votre compte est suspendu jusqu’au " in page
    assert "Motif : Usage frauduleux suspecté." in page
    assert "_auth_user_id" not in client.session
    # A wrong password does not reveal the suspension.
    assert "suspendu" not in post_login(client, "camille", "faux").content.decode()
    assert user.is_suspended


def test_logout_requires_post(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get("/compte/deconnexion/")
    assert page.status_code == 200
    assert "_auth_user_id" in client.session
    response = client.post("/compte/deconnexion/")
    assert response.url == "/"
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event="accounts.logout", actor_id=user.pk).exists()


def test_logout_hands_over_to_franceconnect(client):
    user = UserFactory()
    client.force_login(user)
    session = client.session
    session["franceconnect_id_token"] = "jeton"
    session.save()
    response = client.post("/compte/deconnexion/")
    # 307: the browser repeats the POST (and its CSRF token) to the
    # FranceConnect logout, which refuses GET.
    assert response.status_code == 307
    assert response.url == reverse("franceconnect:logout")


def test_sessions_expire_after_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    # Renewed by activity (titres/core/sessions.py, tests/core/test_sessions.py).
    assert "titres.core.sessions.SessionRenewalMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_REFRESH_SECONDS <= 60
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_private_pages_need_login(client):
    for url in ["/compte/", "/compte/modifier/", "/compte/mes-donnees/", "/compte/supprimer/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/compte/connexion/?next=")
