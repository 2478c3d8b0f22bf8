"""Finding 3 of issue 16: the reset token was built when the mail was
queued; after a queue outage longer than its life the citizen received a
dead link. Links are now made when the mail is sent."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from tests.accounts.factories import UserFactory
from titres.accounts import tokens
from titres.accounts.services.recovery import request_password_reset
from titres.accounts.services.signup import send_activation

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_a_reset_link_queued_long_ago_is_alive_when_it_arrives(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        request_password_reset(identifier=user.username)
    assert mailoutbox == []
    # The mail worker was down for twice the link's life.
    later = timezone.now() + timedelta(seconds=2 * settings.PASSWORD_RESET_TIMEOUT)
    with freeze_time(later):
        for callback in queued:
            callback()
        [message] = mailoutbox
        uid, token = _link(message).rstrip("/").split("/")[-2:]
        assert tokens.password_reset_token.check_token(user, token)
        assert uid == tokens.encode_uid(user)


def test_an_activation_link_queued_long_ago_is_alive_when_it_arrives(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(is_active=False, email_verified_at=None)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        send_activation(user)
    later = timezone.now() + timedelta(hours=settings.ACCOUNT_ACTIVATION_HOURS + 1)
    with freeze_time(later):
        for callback in queued:
            callback()
        token = _link(mailoutbox[0]).rstrip("/").split("/")[-1]
        assert tokens.read_activation_token(token)["u"] == user.pk


def test_no_mail_when_the_account_is_gone_before_sending(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        request_password_reset(identifier=user.username)
    user.delete()
    for callback in queued:
        callback()
    assert mailoutbox == []
