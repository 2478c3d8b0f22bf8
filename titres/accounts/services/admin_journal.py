"""Changes operators make in the admin, journaled (field names, never values)."""

from __future__ import annotations

from django.db import transaction

from titres.accounts.audit import AccountsEvent
from titres.core.journal import record_event

from .. import lockout
from ..models import User
from .recovery import notify_password_changed

ADMIN_FLAG_FIELDS = ("is_active", "is_staff", "is_superuser")


def _names(values) -> list[str]:
    return sorted(str(v) for v in values)


@transaction.atomic
def record_admin_change(
    *,
    user: User,
    actor: User,
    fields: list[str],
    created: bool = False,
    groups_before: set | None = None,
    groups_after: set | None = None,
    permissions_before: set | None = None,
    permissions_after: set | None = None,
    request=None,
) -> None:
    """Journal what an operator changed on an account in the admin: field
    names (never values, except the privilege flags), groups and
    permissions granted or withdrawn. Nothing changed: nothing journaled."""
    groups_before, groups_after = groups_before or set(), groups_after or set()
    permissions_before = permissions_before or set()
    permissions_after = permissions_after or set()
    fields = [f for f in fields if f not in ("groups", "user_permissions", "password")]
    data = {"fields": fields, "created": created}
    for name in ADMIN_FLAG_FIELDS:
        if name in fields:
            data[name] = getattr(user, name)
    changes = {
        "groups_added": groups_after - groups_before,
        "groups_removed": groups_before - groups_after,
        "permissions_added": permissions_after - permissions_before,
        "permissions_removed": permissions_before - permissions_after,
    }
    for key, values in changes.items():
        if values:
            data[key] = _names(values)
    if not created and not fields and not any(changes.values()):
        return
    record_event(AccountsEvent.ADMIN_CHANGED, actor=actor, request=request, target=user, data=data)


@transaction.atomic
def record_admin_password_change(*, user: User, actor: User, usable: bool, request=None) -> None:
    """An operator set (or disabled) the password in the admin; the holder
    is told by e-mail, as after any password change."""
    record_event(
        AccountsEvent.ADMIN_CHANGED,
        actor=actor,
        request=request,
        target=user,
        data={"fields": ["password"], "password_usable": usable},
    )
    lockout.clear_account(lockout.account_key(user=user))
    notify_password_changed(user)


@transaction.atomic
def record_admin_group_change(
    *,
    group,
    actor: User,
    created: bool,
    fields: list[str],
    permissions_before: set,
    permissions_after: set,
    request=None,
) -> None:
    fields = [f for f in fields if f != "permissions"]
    data = {"created": created, "name": group.name, "fields": fields}
    added, removed = permissions_after - permissions_before, permissions_before - permissions_after
    if added:
        data["permissions_added"] = _names(added)
    if removed:
        data["permissions_removed"] = _names(removed)
    if not created and not fields and not added and not removed:
        return
    record_event(
        AccountsEvent.ADMIN_GROUP_CHANGED, actor=actor, request=request, target=group, data=data
    )
