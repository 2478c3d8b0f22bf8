"""Finding 2 of issue 16: no EMAIL_TIMEOUT, so one mail server that
accepts connections and never answers stalled the mail worker forever.
Every outbound call has a bounded wait."""

import ast
import pathlib
import socket
import threading

import pytest
from django.core.mail import EmailMessage, get_connection

ROOT = pathlib.Path(__file__).resolve().parents[2] / "titres"


@pytest.fixture
def silent_server():
    """Accepts TCP connections and never says a word (a hung SMTP server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    yield server.getsockname()[1]
    server.close()


def test_email_timeout_is_set(settings):
    assert settings.EMAIL_TIMEOUT == 10
    connection = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert connection.timeout == 10


def test_a_hung_smtp_server_fails_the_send_instead_of_blocking(settings, silent_server):
    settings.EMAIL_TIMEOUT = 0.5
    outcome = {}

    def send():
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=silent_server
        )
        try:
            EmailMessage("s", "b", to=["a@example.fr"], connection=connection).send()
        except Exception as error:  # noqa: BLE001 - the outcome is asserted below
            outcome["error"] = error

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    thread.join(30)  # a bound on a hang, not a measure of speed
    assert not thread.is_alive(), "l'envoi reste bloqué sur un serveur muet"
    assert "timed out" in str(outcome.get("error"))


def _calls_without_timeout(tree):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        name = node.func.attr
        is_requests = isinstance(owner, ast.Name) and owner.id in {"requests", "session"}
        is_http = is_requests and name in {"get", "post", "put", "patch", "delete", "request"}
        is_socket = isinstance(owner, ast.Name) and owner.id == "socket"
        is_connect = is_socket and name == "create_connection"
        if (is_http or is_connect) and not any(k.arg == "timeout" for k in node.keywords):
            yield node.lineno


def test_every_outbound_http_or_socket_call_has_a_timeout():
    missing = []
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        missing += [f"{path.relative_to(ROOT)}:{line}" for line in _calls_without_timeout(tree)]
    assert missing == []


def test_each_kind_of_work_has_its_queue():
    from titres.core.notifications import send_email_task, send_sms_task
    from titres.instruction.production import (
        local_factory_deliver,
        local_factory_produce,
        local_factory_ship,
    )
    from titres.procedures.antivirus import scan_document

    assert {send_email_task.queue_name, send_sms_task.queue_name} == {"mail"}
    assert scan_document.queue_name == "documents"
    assert {
        t.queue_name for t in (local_factory_produce, local_factory_ship, local_factory_deliver)
    } == {"production"}
