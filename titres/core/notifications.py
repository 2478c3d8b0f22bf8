"""E-mail and SMS notifications, always sent after commit by the worker.

Callers use `notify_email(...)` inside their service transaction; nothing is
sent if the transaction rolls back, and a slow SMTP server never holds a
request.

Both tasks are idempotent: each message carries a key chosen when it is
queued; the worker records the key once the server has accepted the
message and skips a key already recorded, so a task rerun after a crash
sends nothing twice. The only window left is a crash between the server's
acceptance and the record (then the message goes twice, with the same
Message-ID, which mail clients fold into one)."""

import base64
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


def site_url(path: str) -> str:
    """The absolute URL of `path` on this portal, for links that leave it
    (e-mails, SMS, a payment provider, an identity provider)."""
    return settings.SITE_URL.rstrip("/") + path


# Links whose life must start when the message is sent, not when it is
# queued (a reset link made before an outage longer than its validity
# would reach the person dead). An app registers a maker under a name; the
# caller passes `links={"link": [name, *json_args]}` and the worker calls
# the maker at send time. A maker returning None means the link no longer
# makes sense (account gone, already used): the message is not sent.
_LINK_MAKERS: dict = {}


def link_maker(name: str):
    def register(function):
        _LINK_MAKERS[name] = function
        return function

    return register


def _make_links(links: dict | None) -> dict | None:
    made = {}
    for key, (name, *args) in (links or {}).items():
        value = _LINK_MAKERS[name](*args)
        if value is None:
            return None
        made[key] = value
    return made


def _already_sent(key: str | None) -> bool:
    from .models import SentNotification

    return bool(key) and SentNotification.objects.filter(key=key).exists()


def _mark_sent(key: str | None, channel: str) -> None:
    from .models import SentNotification

    if not key:
        return
    try:
        with transaction.atomic():
            SentNotification.objects.create(key=key, channel=channel)
    except IntegrityError:
        pass  # two runs raced past the check: the message is recorded once


@task(queue_name="mail")
def send_email_task(
    *,
    template: str,
    to: list[str],
    context: dict,
    language: str = "fr",
    attachments=None,
    key: str | None = None,
    links: dict | None = None,
):
    """Render `<template>_subject.txt`, `<template>.txt` and, if present,
    `<template>.html`, then send. Context must be JSON-serialisable."""
    if _already_sent(key):
        return "deja_envoye"
    made = _make_links(links)
    if made is None:
        return "lien_caduc"
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context, **made}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
        headers = {"Message-ID": f"<{key}@{_mail_domain()}>"} if key else None
        message = EmailMultiAlternatives(subject=subject, body=body, to=to, headers=headers)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = None  # the HTML part is optional
        if html:
            message.attach_alternative(html, "text/html")
        for name, content_b64, mimetype in attachments or []:
            message.attach(name, base64.b64decode(content_b64), mimetype)
        message.send()
    _mark_sent(key, "email")
    return "envoye"


def _mail_domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]
    return address.strip("> ") or "titres.localhost"


@task(queue_name="mail")
def send_sms_task(*, phone: str, text: str, key: str | None = None):
    from .sms import send_sms

    if _already_sent(key):
        return "deja_envoye"
    send_sms(phone, text)
    _mark_sent(key, "sms")
    return "envoye"


def notify_email(
    *,
    template: str,
    to: str | list[str],
    context: dict,
    attachments=None,
    links: dict | None = None,
) -> None:
    recipients = [to] if isinstance(to, str) else list(to)
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: send_email_task.enqueue(
            template=template,
            to=recipients,
            context=context,
            language=language,
            attachments=attachments,
            key=uuid.uuid4().hex,
            links=links,
        )
    )


def notify_sms(*, phone: str, text: str) -> None:
    if phone:
        transaction.on_commit(
            lambda: send_sms_task.enqueue(phone=phone, text=text, key=uuid.uuid4().hex)
        )
