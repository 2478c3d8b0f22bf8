import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from titres.core.journal import client_ip

ROOT = Path(__file__).resolve().parents[2]


def _request(remote="10.0.0.1", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_client_ip_is_remote_addr_without_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(forwarded="1.2.3.4")) == "10.0.0.1"


def test_client_ip_behind_one_proxy_takes_the_address_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged "6.6.6.6"; the proxy appended the real one.
    assert client_ip(_request(forwarded="6.6.6.6, 203.0.113.7")) == "203.0.113.7"


def test_client_ip_ignores_garbage_forwarded_values(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(forwarded="not-an-ip")) == "10.0.0.1"


def test_unconfigured_mail_backend_sends_nothing_and_logs_no_body(caplog):
    connection = mail.get_connection("titres.core.mailbox.UnconfiguredBackend")
    with caplog.at_level(logging.ERROR, logger="titres.mail"):
        sent = mail.send_mail(
            "Réinitialisation", "https://x/secret-token/", None, ["a@b.fr"], connection=connection
        )
    assert sent == 0
    assert "Réinitialisation" in caplog.text
    assert "secret-token" not in caplog.text


def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("load_demo")


def _settings_import(env):
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "titres.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = _settings_import({"DEBUG": "0", "TITRES_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini" in result.stderr


def test_generated_secret_key_file_is_private(tmp_path):
    result = _settings_import(
        {
            "DEBUG": "1",
            "TITRES_VAR_DIR": str(tmp_path),
            "DEVIDP_PRIVATE_KEY": "",
        }
    )
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(key_file.read_text()) > 40


def test_client_ip_is_unknown_when_remote_addr_is_not_an_address(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(remote="unix:/run/gunicorn.sock")) is None
