"""Recovery e-mails (activation link again, identifier, password reset) and
setting a new password from a link."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from titres.accounts.audit import AccountsEvent
from titres.core import ratelimit
from titres.core.journal import client_ip, record_event
from titres.core.notifications import notify_email

from .. import lockout
from ..enums import Profile
from ..identifiers import email_key, identifier_key
from ..models import User
from .common import EMAILS, greeting_name, url
from .signup import send_activation

# Recovery e-mails (activation, identifier, password reset): per target
# address; the views add a limit per IP address.
RECOVERY_TARGET_LIMIT = "3/hour"


RECOVERY_IP_LIMIT = "20/hour"


def recovery_mail_allowed(scope: str, email: str) -> bool:
    """At most RECOVERY_TARGET_LIMIT recovery e-mails of a kind to one
    address (whatever was typed to reach it: identifier or address)."""
    return ratelimit.hit(f"accounts:{scope}:email", email, RECOVERY_TARGET_LIMIT)


def recovery_ip_allowed(scope: str, request) -> bool:
    ip = client_ip(request)
    return ip is None or ratelimit.hit(f"accounts:{scope}:ip", ip, RECOVERY_IP_LIMIT)


@transaction.atomic
def resend_activation(*, email: str, request=None) -> None:
    """Send a new link if an account awaits activation at this address;
    silent otherwise."""
    user = User.objects.filter(email_key=email_key(email), email_verified_at__isnull=True).first()
    if user is None or user.is_active or user.profile in (Profile.PRO_SIV, Profile.MAIRIE):
        return
    if not recovery_mail_allowed("activation", user.email):
        return
    record_event(AccountsEvent.ACTIVATION_RESENT, actor=None, request=request, target=user)
    send_activation(user)


@transaction.atomic
def send_identifier_reminder(*, email: str, request=None) -> None:
    """Mail the identifier(s) registered with this address; silent if none."""
    for user in User.objects.filter(email_key=email_key(email)):
        if not recovery_mail_allowed("identifier", user.email):
            continue
        record_event(
            AccountsEvent.IDENTIFIER_REMINDER_SENT, actor=None, request=request, target=user
        )
        notify_email(
            template=EMAILS + "identifier_reminder",
            to=user.email,
            context={
                "name": greeting_name(user),
                "username": user.username,
                "login_link": url("accounts:login"),
            },
        )


@transaction.atomic
def request_password_reset(*, identifier: str, request=None) -> None:
    """`identifier` is the account identifier or its e-mail address. Silent
    if nothing matches; an account awaiting activation gets a new activation
    link instead (a reset would not let it in)."""
    value = identifier.strip()
    if not value:
        return
    user = (
        User.objects.filter(Q(username_key=identifier_key(value)) | Q(email_key=email_key(value)))
        .order_by("pk")
        .first()
    )
    if user is None:
        return
    if not user.is_active:
        if (
            user.email_verified_at is None
            and user.profile
            not in (
                Profile.PRO_SIV,
                Profile.MAIRIE,
            )
            and recovery_mail_allowed("activation", user.email)
        ):
            record_event(AccountsEvent.ACTIVATION_RESENT, actor=None, request=request, target=user)
            send_activation(user)
        return
    if not recovery_mail_allowed("password_reset", user.email):
        return
    record_event(AccountsEvent.PASSWORD_RESET_REQUESTED, actor=None, request=request, target=user)
    notify_email(
        template=EMAILS + "password_reset",
        to=user.email,
        context={
            "name": greeting_name(user),
            "username": user.username,
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        },
        # Made when sent: the token's life starts when the mail leaves.
        links={"link": ["accounts.password_reset", user.pk]},
    )


def notify_password_changed(user: User) -> None:
    notify_email(
        template=EMAILS + "password_changed",
        to=user.email,
        context={"name": greeting_name(user), "username": user.username},
    )


@transaction.atomic
def reset_password(*, user: User, password: str, first_connection: bool = False, request=None):
    """Set a new password from a reset (or first-connection) link."""
    user.set_password(password)
    if first_connection and user.email_verified_at is None:
        user.email_verified_at = timezone.now()
    user.save(update_fields=["password", "email_verified_at"])
    lockout.clear_account(lockout.account_key(user=user))
    record_event(
        AccountsEvent.PASSWORD_SET if first_connection else AccountsEvent.PASSWORD_RESET,
        actor=user,
        request=request,
        target=user,
    )
    notify_password_changed(user)
