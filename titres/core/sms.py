"""Pluggable SMS senders. `settings.SMS_BACKEND` names the class to use.

The log backend writes to the application log and to the database-less
outbox list used by tests; a real operator (e.g. an HTTP SMS gateway) is a
subclass implementing `send`."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("titres.sms")

outbox: list[tuple[str, str]] = []


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))
        logger.info("SMS to %s: %s", phone[:-4] + "****" if len(phone) > 4 else phone, text)


def send_sms(phone: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone, text)
