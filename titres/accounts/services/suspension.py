"""Temporary suspension of an account by an operator, and its end."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from titres.accounts.audit import AccountsEvent
from titres.core.journal import record_event
from titres.core.notifications import notify_email

from ..models import User
from .common import EMAILS, AccountError, greeting_name, local_date_time


@task()
def restore_after_suspension_task(*, user_id: int) -> None:
    """Queued at suspension time to run when it ends."""
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        restore_if_expired(user)


@transaction.atomic
def suspend_account(
    *, user: User, actor: User, reason: str, days: int, request=None
) -> datetime.datetime:
    reason = reason.strip()
    if not reason:
        raise AccountError(_("Le motif de la suspension est obligatoire."))
    if days < 1:
        raise AccountError(_("La durée de la suspension doit être d’au moins un jour."))
    until = timezone.now() + datetime.timedelta(days=days)
    user.suspended_until = until
    user.suspension_reason = reason
    user.save(update_fields=["suspended_until", "suspension_reason"])
    record_event(
        AccountsEvent.ACCOUNT_SUSPENDED,
        actor=actor,
        request=request,
        target=user,
        data={"reason": reason, "days": days, "until": until.isoformat()},
    )
    when = local_date_time(until)
    notify_email(
        template=EMAILS + "account_suspended",
        to=user.email,
        context={
            "name": greeting_name(user),
            "username": user.username,
            "reason": reason,
            "days": days,
            "until_date": when["date"],
            "until_time": when["time"],
        },
    )
    _schedule_restore(user.pk, until)
    return until


def _schedule_restore(user_id: int, until: datetime.datetime) -> None:
    # Backends that cannot defer (the immediate one used in tests) rely on
    # the login-time check and the periodic command instead.
    if restore_after_suspension_task.get_backend().supports_defer:
        transaction.on_commit(
            lambda: restore_after_suspension_task.using(run_after=until).enqueue(user_id=user_id)
        )


@transaction.atomic
def reactivate_account(*, user: User, actor: User | None, request=None) -> None:
    """End a temporary suspension before its term (operator decision)."""
    if not user.suspended_until:
        return
    _end_suspension(user, actor=actor, event=AccountsEvent.ACCOUNT_REACTIVATED, request=request)


def _end_suspension(user: User, *, actor, event: str, request=None) -> None:
    reason = user.suspension_reason
    user.suspended_until = None
    user.suspension_reason = ""
    user.save(update_fields=["suspended_until", "suspension_reason"])
    record_event(event, actor=actor, request=request, target=user, data={"reason": reason})
    notify_email(
        template=EMAILS + "account_reactivated",
        to=user.email,
        context={"name": greeting_name(user), "username": user.username},
    )


@transaction.atomic
def restore_if_expired(user: User) -> bool:
    """Clear a suspension whose end has passed (called at login and by the
    periodic command)."""
    locked = User.objects.select_for_update().filter(pk=user.pk).first()
    if locked is None or not locked.suspended_until or locked.suspended_until > timezone.now():
        return False
    _end_suspension(locked, actor=None, event=AccountsEvent.ACCOUNT_RESTORED)
    user.suspended_until = None
    user.suspension_reason = ""
    return True


def restore_expired_suspensions() -> int:
    count = 0
    for user in User.objects.filter(suspended_until__lte=timezone.now()):
        count += restore_if_expired(user)
    return count
