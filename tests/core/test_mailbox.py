import socket

import pytest
from django.core import mail
from django.core.mail import get_connection, send_mail

from titres.core.models import MailboxMessage

pytestmark = pytest.mark.django_db


def test_mailbox_backend_keeps_messages_and_pages_show_them(client, settings):
    settings.DEBUG = True
    settings.DEV_MAILBOX_ENABLED = True
    connection = get_connection("titres.core.mailbox.MailboxBackend")
    send_mail(
        "Activez votre compte", "Lien : http://x/a/", None, ["a@example.fr"], connection=connection
    )
    message = MailboxMessage.objects.get()
    assert message.to == ["a@example.fr"]
    listing = client.get("/dev/mailbox/")
    assert "Activez votre compte" in listing.content.decode()
    detail = client.get(f"/dev/mailbox/{message.pk}/")
    assert 'href="http://x/a/"' in detail.content.decode()


def test_mailbox_is_hidden_unless_debug(client, settings):
    settings.DEBUG = False
    assert client.get("/dev/mailbox/").status_code == 404


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, received
    controller.stop()


def test_real_smtp_delivery(smtp_server, settings):
    controller, received = smtp_server
    connection = get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host="127.0.0.1",
        port=controller.port,
        use_tls=False,
        timeout=5,
    )
    sent = send_mail(
        "Objet",
        "Corps du message",
        "ne-pas-repondre@titres.localhost",
        ["u@example.fr"],
        connection=connection,
    )
    assert sent == 1
    assert received[0].rcpt_tos == ["u@example.fr"]
    assert b"Corps du message" in received[0].content
    assert mail.outbox == []
