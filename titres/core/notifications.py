"""E-mail and SMS notifications, always sent after commit by the worker.

Callers use `notify_email(...)` inside their service transaction; nothing is
sent if the transaction rolls back, and a slow SMTP server never holds a
request."""

import base64

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


def site_url(path: str) -> str:
    """The absolute URL of `path` on this portal, for links that leave it
    (e-mails, SMS, a payment provider, an identity provider)."""
    return settings.SITE_URL.rstrip("/") + path


@task()
def send_email_task(
    *, template: str, to: list[str], context: dict, language: str = "fr", attachments=None
):
    """Render `<template>_subject.txt`, `<template>.txt` and, if present,
    `<template>.html`, then send. Context must be JSON-serialisable."""
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
        message = EmailMultiAlternatives(subject=subject, body=body, to=to)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = None  # the HTML part is optional
        if html:
            message.attach_alternative(html, "text/html")
        for name, content_b64, mimetype in attachments or []:
            message.attach(name, base64.b64decode(content_b64), mimetype)
        message.send()


@task()
def send_sms_task(*, phone: str, text: str):
    from .sms import send_sms

    send_sms(phone, text)


def notify_email(*, template: str, to: str | list[str], context: dict, attachments=None) -> None:
    recipients = [to] if isinstance(to, str) else list(to)
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: send_email_task.enqueue(
            template=template,
            to=recipients,
            context=context,
            language=language,
            attachments=attachments,
        )
    )


def notify_sms(*, phone: str, text: str) -> None:
    if phone:
        transaction.on_commit(lambda: send_sms_task.enqueue(phone=phone, text=text))
