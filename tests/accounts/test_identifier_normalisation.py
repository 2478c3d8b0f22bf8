"""Security review, item 2: one normalisation of identifiers and e-mails
everywhere, and the lockout counter keyed on the account found."""

import os

import pytest

from titres.accounts.identifiers import email_key, identifier_key
from titres.accounts.models import User
from titres.core.models import AuditEvent

from .factories import UserFactory
from .test_login import PASSWORD, post_login
from .test_signup import URL as SIGNUP_URL
from .test_signup import signup_data

pytestmark = pytest.mark.django_db
LOCKED = "Trop de tentatives de connexion infructueuses sur cet identifiant."


def test_keys_fold_case_and_compatibility_characters():
    assert identifier_key(" Camille.M ") == identifier_key("ＣＡＭＩＬＬＥ.m") == "camille.m"
    # The dotless ı is another letter: it never reaches "victim".
    assert identifier_key("victım.admin") != identifier_key("victim.admin")
    assert email_key("Camille@EXEMPLE.fr") == email_key("camille@ｅｘｅｍｐｌｅ.fr")


def test_keys_are_kept_by_save():
    user = UserFactory(username="Camille.M", email="Camille@Exemple.fr")
    assert (user.username_key, user.email_key) == ("camille.m", "camille@exemple.fr")
    user.email = "AUTRE@exemple.fr"
    user.save(update_fields=["email"])
    user.refresh_from_db()
    assert user.email_key == "autre@exemple.fr"


def test_every_spelling_of_an_account_counts_towards_its_lock(client, settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 3
    UserFactory(username="camille")
    # Three spellings, one account: one counter (they were three counters).
    for spelling in ("camille", "CAMILLE", "ｃａｍｉｌｌｅ"):
        post_login(client, spelling, "faux")
    assert LOCKED in post_login(client, "camille").content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_while_locked_is_refused_and_journaled(client, settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 2
    user = UserFactory(username="camille")
    for _ in range(2):
        post_login(client, "camille", "faux")
    for _ in range(3):
        assert LOCKED in post_login(client, "Camille").content.decode()
    events = AuditEvent.objects.filter(event="accounts.login_refused_locked")
    # Journaled once for the address and hour, the others counted.
    assert events.count() == 1
    assert events.get().object_id == str(user.pk)


def test_signup_refuses_an_email_differing_only_by_compatibility_characters(client, terms):
    UserFactory(email="camille@exemple.fr")
    client.post(SIGNUP_URL, signup_data(email="camille@ｅｘｅｍｐｌｅ.fr"))
    assert User.objects.filter(email_key="camille@exemple.fr").count() == 1


def test_two_accounts_cannot_share_a_key():
    from django.db import IntegrityError

    UserFactory(username="camille.m", email="a@exemple.fr")
    with pytest.raises(IntegrityError):
        UserFactory(username="CAMILLE.M", email="b@exemple.fr")


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the review's bypass needs PostgreSQL (UPPER() folds ı to I)",
)
def test_dotless_i_does_not_reach_a_locked_account_on_postgresql(client, settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 2
    UserFactory(username="victim.admin")
    for _ in range(2):
        post_login(client, "victim.admin", "faux")
    response = post_login(client, "victım.admin", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_signup_with_a_compatibility_spelling_mails_the_existing_address(
    client, terms, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="camille@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP_URL, signup_data(email="camille@ｅｘｅｍｐｌｅ.fr"))
    assert [m.to for m in mailoutbox] == [["camille@exemple.fr"]]
