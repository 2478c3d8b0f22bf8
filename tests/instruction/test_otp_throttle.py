"""Security review, item 10: after a burst of wrong codes the right code was
refused with "Code incorrect"; the page must say that too many attempts were
made and when to retry."""

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from titres.core.models import AuditEvent

from .conftest import totp_code

pytestmark = pytest.mark.django_db
WRONG = "Code incorrect ou expiré. Saisissez le code affiché à l’instant."


def _verify(client, token):
    return client.post(reverse("instruction:otp_verify"), {"token": token})


def test_right_code_after_a_burst_says_when_to_retry(agent):
    client = Client()
    client.force_login(agent)
    device = agent.totpdevice_set.get()
    with freeze_time("2026-03-02 10:00:00") as frozen:
        for _ in range(4):
            _verify(client, "000000")
        response = _verify(client, totp_code(device))
        page = response.content.decode()
        assert "Trop de codes incorrects ont été saisis." in page
        assert "bloquée jusqu’à 11:00:" in page  # Europe/Paris, a few seconds later
        assert WRONG not in page
        assert "otp_device_id" not in client.session
        event = AuditEvent.objects.filter(event="instruction.otp_refused").last()
        assert event.data["reason"] == "throttled"
        # Once the wait is over, the right code works.
        frozen.tick(60)
        assert _verify(client, totp_code(device)).status_code == 302
