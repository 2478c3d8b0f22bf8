"""Helpers shared by the account services: refusals, links, dates, greetings."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone

from titres.core.notifications import notify_email, site_url

from ..models import User

EMAILS = "accounts/emails/"


class AccountError(Exception):
    """A refusal whose message is shown to the person as is."""


def url(name: str, *args) -> str:
    return site_url(reverse(name, args=args))


def local_date_time(value: datetime.datetime) -> dict:
    local = timezone.localtime(value)
    return {
        "date": formats.date_format(local, "j F Y"),
        "time": formats.time_format(local, "H:i"),
    }


def greeting_name(user: User) -> str:
    return user.get_full_name() or user.organisation_name or user.username


def send_first_connection(user: User, template: str, extra: dict | None = None) -> None:
    notify_email(
        template=EMAILS + template,
        to=user.email,
        context={
            "name": greeting_name(user),
            "username": user.username,
            "hours": settings.ACCOUNT_ACTIVATION_HOURS,
            **(extra or {}),
        },
        links={"link": ["accounts.account_setup", user.pk]},
    )
