"""Finding 1 of issue 16 (e-mail): a mail task run again after its worker
died must not send the message twice."""

import pytest

from titres.core.models import SentNotification
from titres.core.notifications import notify_email, notify_sms, send_email_task, send_sms_task

pytestmark = pytest.mark.django_db

CONTEXT = {"activation_url": "http://x/", "first_name": "Ana"}


def test_the_same_message_run_twice_is_sent_once(mailoutbox):
    for _ in range(2):
        outcome = send_email_task.call(
            template="accounts/emails/activation", to=["a@example.fr"], context=CONTEXT, key="k1"
        )
    assert outcome == "deja_envoye"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == "<k1@titres.localhost>"
    assert SentNotification.objects.get(key="k1").channel == "email"


def test_a_failed_send_is_not_recorded(mailoutbox, settings):
    settings.EMAIL_BACKEND = "tests.core.test_notifications_idempotent.BrokenBackend"
    with pytest.raises(ConnectionRefusedError):
        send_email_task.call(
            template="accounts/emails/activation", to=["a@example.fr"], context=CONTEXT, key="k2"
        )
    assert not SentNotification.objects.filter(key="k2").exists()


def test_each_notification_gets_its_own_key(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_email(template="accounts/emails/activation", to="a@example.fr", context=CONTEXT)
        notify_email(template="accounts/emails/activation", to="a@example.fr", context=CONTEXT)
        notify_sms(phone="+33612345678", text="code 1234")
    assert len(mailoutbox) == 2
    assert SentNotification.objects.filter(channel="email").count() == 2
    assert SentNotification.objects.filter(channel="sms").count() == 1


def test_an_sms_run_twice_is_sent_once(monkeypatch):
    from titres.core import sms

    sent = []
    monkeypatch.setattr(sms, "send_sms", lambda phone, text: sent.append(phone))
    for _ in range(2):
        send_sms_task.call(phone="+33612345678", text="code 1234", key="s1")
    assert sent == ["+33612345678"]


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")
